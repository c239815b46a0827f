/**
 * Starts client runs: each in its own worker, at most a few at once per page (an event flood
 * must not start hundreds of threads), and reports each finished run for the run log.
 */
import type { SandboxOutcome } from '../../../runner/sandbox/types';
import type { ClientRunReport } from '../../../runs/client-runs';
import type { ClientAction } from '../catalogue';
import { MAX_CLIENT_RUNS_AT_ONCE, MAX_CLIENT_RUNS_WAITING } from '../client-limits';
import type { ApiTarget } from './api';
import type { RunInfo, RuntimeEvent } from './events';
import { uuid } from './ids';
import type { Prelude } from './protocol';
import { runInWorker, type WorkerFactory } from './worker-run';

export interface RunRequest {
  /** Where to report the run: the settings it started under, whatever changes after. */
  target: ApiTarget;
  action: ClientAction;
  preludes: Prelude[];
  trigger: RunInfo['trigger'];
  payload: Record<string, unknown>;
  timeoutMs: number;
}

export interface StartedRun {
  info: RunInfo;
  /** Never rejects: every failure of the action is an outcome. */
  outcome: Promise<SandboxOutcome>;
}

/** Thrown when too many runs wait already; analytics runs are then dropped. */
export class TooManyClientRuns extends Error {
  constructor() {
    super(
      `Too many runs are waiting in this page (${MAX_CLIENT_RUNS_AT_ONCE} run at once and ` +
        `${MAX_CLIENT_RUNS_WAITING} may wait)`,
    );
    this.name = 'TooManyClientRuns';
  }
}

export interface ClientRunnerDeps {
  createWorker: WorkerFactory;
  emit: (event: RuntimeEvent) => void;
  report: (target: ApiTarget, actionId: number, report: ClientRunReport) => void;
}

function reportOf(info: RunInfo, request: RunRequest, outcome: SandboxOutcome): ClientRunReport {
  const base = {
    runId: info.runId,
    trigger: info.trigger,
    payload: info.payload,
    durationMs: outcome.durationMs,
    codeHash: request.action.codeHash,
    console: outcome.console,
  };
  if (outcome.ok) return { ...base, outcome: { ok: true, result: outcome.result } };
  const timeoutMs = outcome.limit === 'timeout' ? request.timeoutMs : undefined;
  return { ...base, outcome: { ok: false, error: outcome.error, limit: outcome.limit, timeoutMs } };
}

export class ClientRunner {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly deps: ClientRunnerDeps) {}

  start(request: RunRequest): StartedRun {
    if (this.running >= MAX_CLIENT_RUNS_AT_ONCE && this.waiting.length >= MAX_CLIENT_RUNS_WAITING) {
      throw new TooManyClientRuns();
    }
    const { action } = request;
    const info: RunInfo = {
      runId: uuid(),
      actionId: action.id,
      masterId: action.masterId,
      name: action.name,
      trigger: request.trigger,
      payload: request.payload,
      startedAt: Date.now(),
    };
    const outcome = this.turn().then(async () => {
      try {
        info.startedAt = Date.now();
        this.deps.emit({ type: 'run-started', run: info });
        const ended = await runInWorker(
          {
            name: action.name,
            code: action.code,
            preludes: request.preludes,
            payload: request.payload,
            timeoutMs: request.timeoutMs,
          },
          this.deps.createWorker,
        );
        this.deps.emit({ type: 'run-finished', run: info, outcome: ended });
        this.deps.report(request.target, action.id, reportOf(info, request, ended));
        return ended;
      } finally {
        this.release();
      }
    });
    return { info, outcome };
  }

  private turn(): Promise<void> {
    if (this.running < MAX_CLIENT_RUNS_AT_ONCE) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot straight to the next waiting run, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
