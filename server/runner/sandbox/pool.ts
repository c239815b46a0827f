import { logger as rootLogger, type Logger } from '@/server/log';

import { ChildHandle, type ChildExitInfo, type ChildJob } from './child-handle';
import { assertValidRequest } from './executor';
import type { HostBridge, SandboxOutcome, SandboxRequest } from './types';

export interface SandboxPoolOptions {
  /** Child processes, each running one action at a time. */
  size: number;
  logger?: Logger;
  /** How long past a run's timeout a silent child is given before it is killed. */
  graceMs?: number;
  /** Heap of each child's own Node isolate, in MB (actions' isolates are capped separately). */
  childHeapMb?: number;
  /** A child is replaced after this many runs, so slow leaks in native code cannot build up. */
  maxRunsPerChild?: number;
}

export interface SandboxPoolStats {
  size: number;
  starting: number;
  idle: number;
  busy: number;
  queued: number;
  completed: number;
  /** Runs that ended with `limit: 'crash'` (their child died, or V8 failed). */
  crashed: number;
  /** Children started to replace one that exited. */
  restarts: number;
  children: { pid: number | undefined; status: string; runs: number }[];
}

/**
 * A child costs ≈ 0.75 s of CPU to start, so replacing it every 1,000 runs cost ≈ 0.7 ms per
 * run; a child's resident memory stayed flat (140-155 MB) over 8,000 runs, so 10,000 it is.
 */
const DEFAULTS = { graceMs: 2_000, childHeapMb: 256, maxRunsPerChild: 10_000 };
/** Respawn delay after a child failed to start; doubles per failure up to the cap. */
const RESTART_BACKOFF_MS = { first: 250, max: 30_000 };

/**
 * Long-lived sandbox child processes; each run goes to an idle child or waits in a FIFO queue.
 * A child that dies takes only its own run with it and is replaced.
 */
export class SandboxPool {
  private readonly children = new Set<ChildHandle>();
  private readonly queue: ChildJob[] = [];
  private readonly log: Logger;
  private readonly settings: typeof DEFAULTS;
  private readonly drainWaiters: (() => void)[] = [];
  private readonly startWaiters: (() => void)[] = [];
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private readonly counts = { completed: 0, crashed: 0, restarts: 0 };
  private inFlight = 0;
  private startFailures = 0;
  private closed = false;

  constructor(private readonly options: SandboxPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new RangeError(`A sandbox pool needs at least one child, got ${options.size}`);
    }
    this.log = (options.logger ?? rootLogger).child({ component: 'sandbox-pool' });
    this.settings = {
      graceMs: options.graceMs ?? DEFAULTS.graceMs,
      childHeapMb: options.childHeapMb ?? DEFAULTS.childHeapMb,
      maxRunsPerChild: options.maxRunsPerChild ?? DEFAULTS.maxRunsPerChild,
    };
    for (let i = 0; i < options.size; i += 1) this.spawn();
  }

  /** Runs one action in a child; resolves with its outcome, whatever the action does. */
  run(request: SandboxRequest, bridge: HostBridge): Promise<SandboxOutcome> {
    if (this.closed) return Promise.reject(new Error('The sandbox pool is closed'));
    try {
      assertValidRequest(request);
    } catch (error) {
      return Promise.reject(error);
    }
    this.inFlight += 1;
    return new Promise((resolve) => {
      const finish = (outcome: SandboxOutcome): void => {
        this.inFlight -= 1;
        this.counts.completed += 1;
        if (!outcome.ok && outcome.limit === 'crash') this.counts.crashed += 1;
        resolve(outcome);
        this.notifyIfDrained();
      };
      this.queue.push({ request, bridge, resolve: finish });
      this.dispatch();
    });
  }

  /**
   * Resolves once no child is starting: every child is ready, or failed to start and waits to
   * be retried. A runner takes jobs only then, so none waits on a child still booting.
   */
  started(): Promise<void> {
    if (!this.anyStarting()) return Promise.resolve();
    return new Promise((resolve) => this.startWaiters.push(resolve));
  }

  private anyStarting(): boolean {
    return [...this.children].some((child) => child.status === 'starting');
  }

  private notifyIfStarted(): void {
    if (this.anyStarting()) return;
    for (const resolve of this.startWaiters.splice(0)) resolve();
  }

  /** Stops taking runs, waits for queued and running ones to finish, then ends the children. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    if (this.inFlight > 0) {
      if (this.children.size === 0) this.spawn();
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
    await Promise.all([...this.children].map((child) => child.stop()));
  }

  stats(): SandboxPoolStats {
    const byStatus = { starting: 0, idle: 0, busy: 0 };
    for (const child of this.children) {
      const { status } = child;
      if (status === 'starting' || status === 'idle' || status === 'busy') byStatus[status] += 1;
    }
    const children = [...this.children].map(({ pid, status, runs }) => ({ pid, status, runs }));
    const { size } = this.options;
    return { size, ...byStatus, queued: this.queue.length, ...this.counts, children };
  }

  private spawn(): void {
    const child = new ChildHandle({
      logger: this.log,
      heapMb: this.settings.childHeapMb,
      graceMs: this.settings.graceMs,
      onIdle: (idle) => this.onIdle(idle),
      onExit: (exited, info) => this.onExit(exited, info),
    });
    this.children.add(child);
  }

  private dispatch(): void {
    for (const child of this.children) {
      if (child.status !== 'idle') continue;
      const job = this.queue.shift();
      if (!job) return;
      child.run(job);
    }
  }

  private onIdle(child: ChildHandle): void {
    this.startFailures = 0;
    this.notifyIfStarted();
    if (child.runs >= this.settings.maxRunsPerChild) {
      // Retired while idle: its replacement starts now, it exits in the background.
      this.children.delete(child);
      void child.stop();
      this.spawn();
      return;
    }
    this.dispatch();
  }

  private onExit(child: ChildHandle, info: ChildExitInfo): void {
    const wasMember = this.children.delete(child);
    this.notifyIfStarted();
    if (!wasMember || (info.stopped && this.closed)) return;
    if (this.closed && this.inFlight === 0) return;
    this.counts.restarts += 1;
    if (info.wasReady) {
      this.spawn();
      return;
    }
    // It never started: respawning at once would spin; back off and say why.
    this.startFailures += 1;
    const delay = Math.min(
      RESTART_BACKOFF_MS.max,
      RESTART_BACKOFF_MS.first * 2 ** (this.startFailures - 1),
    );
    this.log.error({ failures: this.startFailures, delay }, 'sandbox child failed to start');
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      this.spawn();
    }, delay);
    this.restartTimers.add(timer);
  }

  private notifyIfDrained(): void {
    if (this.inFlight > 0) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}
