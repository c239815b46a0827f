import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

import type { Logger } from '@/server/log';

import { answerHostCall, checkHostCallArgs } from './host-calls';
import type { ParentMessage } from './ipc';
import { childMessageSchema } from './ipc';
import { MAX_PENDING_HOST_CALLS } from './limits';
import { parseOutcome } from './outcomes';
import { crashError, timeoutError } from './run-errors';
import type { HostBridge, SandboxOutcome, SandboxRequest } from './types';

const CHILD_ENTRY = fileURLToPath(new URL('./child.ts', import.meta.url));
/** tsx resolves from here, and the `@/` alias is relative to it. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** How long a stopping child may take to exit on its own before it is killed. */
const STOP_GRACE_MS = 5_000;
/**
 * Children run at a lower CPU priority than the runner: an action spinning in a loop then
 * cannot starve the process that writes run logs and answers host calls.
 */
const CHILD_NICENESS = 10;

export interface ChildJob {
  request: SandboxRequest;
  bridge: HostBridge;
  resolve: (outcome: SandboxOutcome) => void;
}

export interface ChildHandleOptions {
  logger: Logger;
  /** `--max-old-space-size` of the child's own heap (isolates have their own caps). */
  heapMb: number;
  /** Time past a run's timeout after which a silent child is killed. */
  graceMs: number;
  /** The child can take a run (first start, or after one finished). */
  onIdle: (child: ChildHandle) => void;
  onExit: (child: ChildHandle, info: ChildExitInfo) => void;
}

export interface ChildExitInfo {
  /** It died with a run in flight (that run already got its crash or timeout outcome). */
  crashedRun: boolean;
  /** It had finished starting; a child that dies before that points at a broken setup. */
  wasReady: boolean;
  /** It exited because it was asked to. */
  stopped: boolean;
}

interface ActiveRun {
  id: string;
  job: ChildJob;
  startedAt: number;
  /** Made on the first host call: aborting one builds an exception with a stack. */
  abort?: AbortController;
  watchdog: NodeJS.Timeout;
  hostCalls: number;
  /** Set when the watchdog killed the child: the run then ends as a timeout, not a crash. */
  hung: boolean;
}

/**
 * The child's whole environment. Everything else (DATABASE_URL, tokens…) stays in the parent:
 * code that escaped an isolate would find nothing worth taking.
 */
function childEnv(): NodeJS.ProcessEnv {
  return {
    NODE_ENV: process.env.NODE_ENV,
    LOG_LEVEL: process.env.LOG_LEVEL,
    // Actions see UTC, as on the reference platform, whatever the server's own zone is.
    TZ: 'UTC',
    APP_PROCESS_NAME: 'sandbox',
  };
}

/** The parent's side of one sandbox child process. */
export class ChildHandle {
  readonly exited: Promise<void>;
  runs = 0;
  private readonly child: ChildProcess;
  private state: 'starting' | 'idle' | 'busy' | 'stopping' | 'exited' = 'starting';
  private wasReady = false;
  private active: ActiveRun | undefined;

  constructor(private readonly options: ChildHandleOptions) {
    this.child = fork(CHILD_ENTRY, [], {
      cwd: REPO_ROOT,
      env: childEnv(),
      execArgv: [
        '--import',
        'tsx',
        // isolated-vm's requirement on Node 20+.
        '--no-node-snapshot',
        `--max-old-space-size=${options.heapMb}`,
      ],
      // Not 'advanced': V8's deserializer recurses, so one deep value from a child would
      // overflow the runner's stack in Node's channel code, where nothing can catch it and the
      // whole runner dies. JSON.parse does not recurse.
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.lowerPriority();
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.on('message', (message: unknown) => this.onMessage(message));
    this.child.once('exit', (code, signal) => this.onExit(code, signal));
    this.child.on('error', (error) => {
      options.logger.error({ err: error, childPid: this.child.pid }, 'sandbox child error');
      this.kill();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get status(): 'starting' | 'idle' | 'busy' | 'stopping' | 'exited' {
    return this.state;
  }

  run(job: ChildJob): void {
    if (this.state !== 'idle') throw new Error(`A ${this.state} sandbox child cannot take a run`);
    const id = randomUUID();
    const limit = job.request.timeoutMs + this.options.graceMs;
    const watchdog = setTimeout(() => this.onHang(), limit);
    this.state = 'busy';
    this.active = {
      id,
      job,
      startedAt: performance.now(),
      watchdog,
      hostCalls: 0,
      hung: false,
    };
    this.send({ type: 'run', runId: id, request: job.request });
  }

  /** Asks the child to exit once idle; kills it if it does not. */
  async stop(): Promise<void> {
    if (this.state === 'exited') return;
    this.state = 'stopping';
    this.send({ type: 'shutdown' });
    const killer = setTimeout(() => this.kill(), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(killer);
  }

  kill(): void {
    if (this.state !== 'exited') this.child.kill('SIGKILL');
  }

  private lowerPriority(): void {
    if (this.child.pid === undefined) return;
    try {
      setPriority(this.child.pid, CHILD_NICENESS);
    } catch (error) {
      // Not fatal: the child still works, only without the scheduling preference.
      const fields = { err: error, childPid: this.child.pid };
      this.options.logger.warn(fields, 'could not lower sandbox child priority');
    }
  }

  private send(message: ParentMessage): void {
    try {
      this.child.send(message);
    } catch {
      // The channel closed: the child is exiting, and its exit handler ends the run.
    }
  }

  private onMessage(raw: unknown): void {
    const parsed = childMessageSchema.safeParse(raw);
    if (!parsed.success) {
      // Our own child never sends this; a child that does is broken or subverted.
      this.options.logger.error({ childPid: this.pid }, 'malformed message from a sandbox child');
      this.kill();
      return;
    }
    const message = parsed.data;
    if (message.type === 'ready') this.onReady();
    else if (message.type === 'host-call') this.onHostCall(message);
    else this.onOutcome(message.runId, parseOutcome(message.outcome));
  }

  private onReady(): void {
    if (this.state !== 'starting') return;
    this.state = 'idle';
    this.wasReady = true;
    this.options.onIdle(this);
  }

  private onHostCall(message: {
    runId: string;
    callId: number;
    namespace: string;
    method: string;
    argsJson: string;
  }): void {
    const run = this.active;
    // Only the run this child is doing may call its bridge: never a finished or foreign one.
    if (!run || run.id !== message.runId) return;
    run.hostCalls += 1;
    if (run.hostCalls > MAX_PENDING_HOST_CALLS) {
      this.options.logger.error({ childPid: this.pid }, 'sandbox child exceeded the host-call cap');
      this.kill();
      return;
    }
    const { namespace, method } = message;
    const checked = checkHostCallArgs({ namespace, method }, message.argsJson);
    if (!checked.ok) {
      // The child refuses such arguments itself before sending them: this one skipped that.
      this.options.logger.error({ childPid: this.pid }, 'sandbox child sent refused arguments');
      this.kill();
      return;
    }
    const call = { namespace, method, args: checked.args };
    run.abort ??= new AbortController();
    void answerHostCall(run.job.bridge, call, run.abort.signal).then(({ ok, json }) => {
      run.hostCalls -= 1;
      if (this.active !== run) return;
      this.send({ type: 'host-reply', runId: run.id, callId: message.callId, ok, json });
    });
  }

  private onOutcome(runId: string, outcome: SandboxOutcome): void {
    const run = this.active;
    if (!run || run.id !== runId) return;
    this.endRun(run, outcome);
    this.runs += 1;
    if (this.state === 'busy') {
      this.state = 'idle';
      this.options.onIdle(this);
    }
  }

  private onHang(): void {
    const run = this.active;
    if (!run) return;
    run.hung = true;
    this.options.logger.warn(
      { childPid: this.pid, timeoutMs: run.job.request.timeoutMs },
      'sandbox child did not answer past the run timeout; killing it',
    );
    this.kill();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const stopping = this.state === 'stopping';
    this.state = 'exited';
    const run = this.active;
    if (run) this.endRun(run, this.lostRunOutcome(run, code, signal));
    if (run && !run.hung) {
      const fields = { childPid: this.pid, code, signal };
      this.options.logger.error(fields, 'sandbox child died during a run');
    }
    const info = { crashedRun: run !== undefined, wasReady: this.wasReady, stopped: stopping };
    this.options.onExit(this, info);
  }

  private lostRunOutcome(
    run: ActiveRun,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): SandboxOutcome {
    const durationMs = Math.round(performance.now() - run.startedAt);
    if (run.hung) {
      const error = timeoutError(run.job.request.timeoutMs);
      return { ok: false, limit: 'timeout', error, console: [], durationMs };
    }
    const how = signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
    const error = crashError(`its process ended unexpectedly (${how})`);
    return { ok: false, limit: 'crash', error, console: [], durationMs };
  }

  private endRun(run: ActiveRun, outcome: SandboxOutcome): void {
    clearTimeout(run.watchdog);
    run.abort?.abort();
    this.active = undefined;
    run.job.resolve(outcome);
  }
}
