/**
 * One client run in one dedicated Web Worker, seen from the page: the page's own timer ends it
 * at the time limit by terminating the worker, so an endless loop (even in microtasks, case
 * C20) burns only that worker's thread and the page stays responsive. Every message from the
 * worker is checked again here with the server's own readers, because the action shares the
 * worker with the runtime and can post anything.
 */
import { ConsoleBuffer } from '../../../runner/sandbox/console-buffer';
import { MAX_CONSOLE_LINES, runtimeLimits } from '../../../runner/sandbox/limits';
import {
  parseOutcome,
  verdictFromDone,
  type RawSandboxOutcome,
  type Verdict,
} from '../../../runner/sandbox/outcomes';
import { crashError, runError } from '../../../runner/sandbox/run-errors';
import type { SandboxOutcome } from '../../../runner/sandbox/types';
import { clientTimeoutError } from '../client-limits';
import { readWorkerMessage, type Prelude, type StartMessage } from './protocol';

/** A worker as this file uses it; tests put a fake behind it. */
export interface WorkerLike {
  post(message: unknown): void;
  terminate(): void;
}

export interface WorkerHandlers {
  message(data: unknown): void;
  /** The worker itself failed (its script did not load, say), not the action. */
  error(detail: string): void;
}

export type WorkerFactory = (name: string, handlers: WorkerHandlers) => WorkerLike;

export interface WorkerRunRequest {
  name: string;
  code: string;
  preludes: Prelude[];
  payload: unknown;
  timeoutMs: number;
}

/** Console lines and platform notes, with room to spare; more means the action posts itself. */
const MAX_MESSAGES = MAX_CONSOLE_LINES + 100;

export function runInWorker(
  request: WorkerRunRequest,
  createWorker: WorkerFactory,
): Promise<SandboxOutcome> {
  return new WorkerRun(request, createWorker).start();
}

/** A Web Worker from a script URL (a blob URL of the worker script in the runtime). */
export function browserWorkerFactory(scriptUrl: () => string): WorkerFactory {
  return (name, handlers) => {
    const worker = new Worker(scriptUrl(), { name: `action ${name}` });
    worker.onmessage = (event) => handlers.message(event.data);
    worker.onmessageerror = () => handlers.error('a message from the worker could not be read');
    worker.onerror = (event) => {
      event.preventDefault();
      handlers.error(event.message || 'the worker script failed');
    };
    return { post: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
  };
}

function encodePayload(payload: unknown): string | undefined {
  try {
    const json = JSON.stringify(payload ?? {});
    return typeof json === 'string' ? json : undefined;
  } catch {
    return undefined;
  }
}

class WorkerRun {
  private readonly startedAt = performance.now();
  private readonly console = new ConsoleBuffer(this.startedAt);
  private readonly outcome: Promise<RawSandboxOutcome>;
  private resolveOutcome: (outcome: RawSandboxOutcome) => void = () => {};
  private worker: WorkerLike | undefined;
  private deadline: ReturnType<typeof setTimeout> | undefined;
  private messages = 0;
  private finished = false;

  constructor(
    private readonly request: WorkerRunRequest,
    private readonly createWorker: WorkerFactory,
  ) {
    this.outcome = new Promise((resolve) => {
      this.resolveOutcome = resolve;
    });
  }

  async start(): Promise<SandboxOutcome> {
    const { name, code, preludes, payload, timeoutMs } = this.request;
    const payloadJson = encodePayload(payload);
    if (payloadJson === undefined) {
      const error = runError('InvalidPayloadError', 'The payload is not JSON-serialisable');
      this.finish({ ok: false, error });
      return parseOutcome(await this.outcome);
    }
    this.deadline = setTimeout(() => {
      this.finish({ ok: false, limit: 'timeout', error: clientTimeoutError(timeoutMs) });
    }, timeoutMs);
    try {
      this.worker = this.createWorker(name, {
        message: (data) => this.onMessage(data),
        error: (detail) => this.finish({ ok: false, limit: 'crash', error: crashError(detail) }),
      });
      const start: StartMessage = {
        t: 'start',
        name,
        code,
        preludes,
        payloadJson,
        limits: runtimeLimits(timeoutMs),
      };
      this.worker.post(start);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const failure = crashError(`the browser could not start a worker (${detail})`);
      this.finish({ ok: false, limit: 'crash', error: failure });
    }
    return parseOutcome(await this.outcome);
  }

  private onMessage(data: unknown): void {
    if (this.finished) return;
    this.messages += 1;
    if (this.messages > MAX_MESSAGES) {
      const message = `The action sent more than ${MAX_MESSAGES} messages to the page`;
      this.finish({ ok: false, error: runError('SandboxLimitError', message) });
      return;
    }
    const message = readWorkerMessage(data);
    if (!message) return;
    if (message.t === 'log') this.console.add(message.level, message.text);
    else if (message.t === 'log-dropped') this.console.markTruncated();
    else if (message.t === 'note') this.console.note(message.level, message.text);
    else {
      const verdict = verdictFromDone(message.kind, message.text);
      if (verdict) this.finish(verdict);
    }
  }

  private finish(verdict: Verdict): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.deadline);
    // Stops whatever still runs in the worker: a loop, timers, pending fetches.
    this.worker?.terminate();
    const durationMs = Math.round(performance.now() - this.startedAt);
    this.resolveOutcome({ ...verdict, console: this.console.snapshot(), durationMs });
  }
}
