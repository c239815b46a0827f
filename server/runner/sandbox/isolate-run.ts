import { randomBytes } from 'node:crypto';

import ivm from 'isolated-vm';

import { logger } from '@/server/log';

import { ConsoleBuffer, isConsoleLevel } from './console-buffer';
import { answerHostCall, checkHostCallArgs } from './host-calls';
import { MAX_PENDING_HOST_CALLS, MAX_PENDING_TIMERS } from './limits';
import { compilePlatformScript } from './script-cache';
import type { RawSandboxOutcome, Verdict } from './outcomes';
import { verdictFromDone } from './outcomes';
import {
  INTERNAL_FILE_PREFIX,
  crashError,
  errorFromCopy,
  memoryLimitError,
  previewValue,
  runError,
  timeoutError,
} from './run-errors';
import type { HostBridge, SandboxRequest } from './types';
import { newIsolate, takeSpareIsolate, warmSpareIsolate, type Enter } from './warm-isolate';

const log = logger.child({ component: 'sandbox' });

const DRIVER_FILE = `${INTERNAL_FILE_PREFIX}driver.js`;
/** The action's script name: its stack frames read `action.js:LINE:COL`. */
export const ACTION_FILE = 'action.js';

/**
 * After the runtime reports the end of the run, the isolate task that reported it still has to
 * return; waiting for it lets a stray rejection from that same task reach the console.
 */
const DONE_GRACE_MS = 50;
/** The isolate's own timeout backs up the wall-clock timer, so it is set a little later. */
const ISOLATE_TIMEOUT_SLACK_MS = 100;

/** Starts the action after its code loaded; `$0` is the runtime's entry, `$1` the payload. */
const DRIVER_SOURCE =
  "'use strict'; delete globalThis[$2];" +
  " return $0('run', typeof execute === 'undefined' ? undefined : execute, $1);";

type Wire = string | number | boolean | undefined;

let poisonedBy: string | undefined;

/**
 * Set once isolated-vm reports a catastrophic error: V8 may be corrupted, so the process
 * should finish what it reports and exit. The pool's child checks it after every run.
 */
export function processPoisonedBy(): string | undefined {
  return poisonedBy;
}

function poison(message: string): void {
  poisonedBy = message;
}

/**
 * Gets the isolate for the next run with these limits ready in the background (a sandbox
 * child calls this after each run; see warm-isolate.ts).
 */
export function warmNextIsolate(limits: { memoryMb: number; timeoutMs: number }): void {
  if (poisonedBy === undefined) warmSpareIsolate(limits, poison);
}

class PreludeFailure {
  constructor(
    readonly name: string,
    readonly cause: unknown,
  ) {}
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function encodePayload(payload: unknown): string | undefined {
  try {
    const json = JSON.stringify(payload ?? {});
    return typeof json === 'string' ? json : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One run in one fresh isolate. Everything that enters the isolate after setup is a task this
 * class starts (`enter`), so every failure of the isolate surfaces in a place that handles it:
 * limits end the run, anything else is a stray rejection and becomes a console warning.
 */
export class IsolateRun {
  private readonly startedAt = performance.now();
  /** Made on the first host call: aborting one builds an exception with a stack (≈ 0.1 ms). */
  private abort: AbortController | undefined;
  private readonly console = new ConsoleBuffer(this.startedAt);
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** Random per run: set by the action's script only if it ran to its end. */
  private readonly loadedMarker = `__actionLoaded_${randomBytes(8).toString('hex')}`;
  private readonly outcome: Promise<RawSandboxOutcome>;
  private resolveOutcome: (outcome: RawSandboxOutcome) => void = () => {};
  private deadline: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private isolate: ivm.Isolate | undefined;
  private context: ivm.Context | undefined;
  private enterRef: ivm.Reference<Enter> | undefined;
  private tasksInFlight = 0;
  private hostCallsInFlight = 0;
  private doneVerdict: Verdict | undefined;
  private catastrophe: string | undefined;
  private disposedByUs = false;
  private finished = false;

  constructor(
    private readonly request: SandboxRequest,
    private readonly bridge: HostBridge,
  ) {
    this.outcome = new Promise((resolve) => {
      this.resolveOutcome = resolve;
    });
  }

  async start(): Promise<RawSandboxOutcome> {
    const payloadJson = encodePayload(this.request.payload);
    if (payloadJson === undefined) {
      const message = 'The payload is not JSON-serialisable';
      this.finish({ ok: false, error: runError('InvalidPayloadError', message) });
      return this.outcome;
    }
    const { timeoutMs } = this.request;
    this.deadline = setTimeout(() => {
      this.finish({ ok: false, limit: 'timeout', error: timeoutError(timeoutMs) });
    }, timeoutMs);
    try {
      await this.setUp(payloadJson);
    } catch (error) {
      this.failSetup(error);
    }
    return this.outcome;
  }

  // ------------------------------------------------------------------ setup

  private async setUp(payloadJson: string): Promise<void> {
    const limits = { memoryMb: this.request.memoryMb, timeoutMs: this.request.timeoutMs };
    const ready = (await takeSpareIsolate(limits)) ?? (await this.coldIsolate(limits));
    ready.attach(this);
    this.isolate = ready.isolate;
    this.context = ready.context;
    this.enterRef = ready.enter;
    const { context, isolate } = ready;
    this.runPreludes(isolate, context);
    // Preludes captured it; the action reaches the host only through their APIs.
    context.global.deleteSync('__hostCall');
    if (await this.loadActionCode(isolate, context)) this.startDriver(context, payloadJson);
  }

  /** No spare ready: create the isolate now, owned by this run from the start. */
  private async coldIsolate(limits: { memoryMb: number; timeoutMs: number }) {
    const created = newIsolate(limits, poison);
    created.attach(this);
    // Set before installing, so a limit hit while installing is judged as such.
    this.isolate = created.isolate;
    return created.install(this.isolateTimeout());
  }

  /** Platform code only, so synchronous: no thread hop per prelude (see warm-isolate.ts). */
  private runPreludes(isolate: ivm.Isolate, context: ivm.Context): void {
    for (const prelude of this.request.preludes) {
      try {
        const script = compilePlatformScript(isolate, prelude.source, `prelude:${prelude.name}`);
        script.runSync(context, { timeout: this.isolateTimeout(), release: true });
      } catch (error) {
        throw new PreludeFailure(prelude.name, error);
      }
    }
  }

  /** Runs the action's script; false when the run already ended because of it. */
  private async loadActionCode(isolate: ivm.Isolate, context: ivm.Context): Promise<boolean> {
    // Appended on a line of its own, after every line of the action, so line numbers hold.
    const marker = JSON.stringify(this.loadedMarker);
    const source = `${this.request.code}\n;globalThis[${marker}] = true;`;
    let script: ivm.Script;
    try {
      // Compiling runs none of the action's code, so it need not leave this thread.
      script = isolate.compileScriptSync(source, { filename: ACTION_FILE });
    } catch (error) {
      this.finish(this.limitVerdict() ?? { ok: false, error: errorFromCopy(error) });
      return false;
    }
    try {
      await script.run(context, { timeout: this.isolateTimeout(), release: true });
      return true;
    } catch (error) {
      return this.afterScriptError(context, error);
    }
  }

  /**
   * isolated-vm reports a promise rejected without a handler as a failure of the task it
   * happened in, so a failed script run is either a real top-level throw or a stray rejection.
   * The marker tells them apart: it is set only when the script ran to its end.
   */
  private async afterScriptError(context: ivm.Context, error: unknown): Promise<boolean> {
    const limit = this.limitVerdict();
    if (limit) {
      this.finish(limit);
      return false;
    }
    const completed = await context
      .evalClosure('return globalThis[$0] === true;', [this.loadedMarker])
      .catch(() => false);
    if (completed === true) {
      this.noteStrayRejection(error);
      return true;
    }
    this.finish(this.limitVerdict() ?? { ok: false, error: errorFromCopy(error) });
    return false;
  }

  private startDriver(context: ivm.Context, payloadJson: string): void {
    const enter = this.enterRef;
    if (!enter || this.finished) return;
    const args = [enter.derefInto(), payloadJson, this.loadedMarker];
    const options = { filename: DRIVER_FILE, timeout: this.isolateTimeout() };
    this.runTask(context.evalClosure(DRIVER_SOURCE, args, options));
  }

  private failSetup(error: unknown): void {
    if (this.finished) return;
    const limit = this.limitVerdict();
    if (limit) {
      this.finish(limit);
      return;
    }
    if (error instanceof PreludeFailure) {
      const cause = errorFromCopy(error.cause);
      const message = `${cause.message} (in ${error.name}, loaded before the action)`;
      this.finish({ ok: false, error: runError(cause.name, message, cause.stack) });
      return;
    }
    log.error({ err: error }, 'sandbox setup failed');
    this.finish({ ok: false, error: runError('SandboxError', 'The sandbox could not start') });
  }

  // ------------------------------------------------------------------ tasks into the isolate

  /** Calls the runtime's entry function as one isolate task; arguments cross as copies. */
  private enter(kind: string, a?: Wire, b?: Wire, c?: Wire): void {
    const ref = this.enterRef;
    // Once the run has a result nothing new starts inside it.
    if (!ref || this.finished || this.doneVerdict) return;
    this.runTask(ref.apply(undefined, [kind, a, b, c], { timeout: this.isolateTimeout() }));
  }

  private runTask(task: Promise<unknown>): void {
    this.tasksInFlight += 1;
    void task
      .then(undefined, (error: unknown) => this.onTaskError(error))
      .then(() => {
        this.tasksInFlight -= 1;
        this.finishIfDrained();
      });
  }

  private onTaskError(error: unknown): void {
    if (this.finished) return;
    const limit = this.limitVerdict();
    if (limit) this.finish(limit);
    else this.noteStrayRejection(error);
  }

  private noteStrayRejection(reason: unknown): void {
    this.console.note('warn', `Unhandled promise rejection: ${previewValue(reason)}`);
  }

  /** Why the platform ended the run, judged from state we control rather than error text. */
  private limitVerdict(): Verdict | undefined {
    if (this.catastrophe !== undefined) {
      return { ok: false, limit: 'crash', error: crashError('the JavaScript engine failed') };
    }
    if (this.isolate?.isDisposed && !this.disposedByUs) {
      return { ok: false, limit: 'memory', error: memoryLimitError(this.request.memoryMb) };
    }
    if (this.elapsed() >= this.request.timeoutMs) {
      return { ok: false, limit: 'timeout', error: timeoutError(this.request.timeoutMs) };
    }
    return undefined;
  }

  // ------------------------------------------------------------------ messages from the isolate

  /** Every argument is checked: the action can call this with anything it likes. */
  onPost(args: unknown[]): void {
    if (this.finished) return;
    const [kind, a, b, c, d] = args;
    if (kind === 'log' && isConsoleLevel(a) && typeof b === 'string') this.console.add(a, b);
    else if (kind === 'log-dropped') this.console.markTruncated();
    else if (kind === 'call' && isId(a) && typeof b === 'string' && typeof c === 'string') {
      this.onHostCall(a, b, c, typeof d === 'string' ? d : '');
    } else if (kind === 'timer' && isId(a) && typeof b === 'number') this.onTimer(a, b);
    else if (kind === 'clear-timer' && isId(a)) this.onClearTimer(a);
    else if (kind === 'done' && typeof a === 'string' && typeof b === 'string') this.onDone(a, b);
  }

  private onHostCall(id: number, namespace: string, method: string, argsJson: string): void {
    if (this.hostCallsInFlight >= MAX_PENDING_HOST_CALLS) {
      // The runtime refuses earlier; getting here means the action tampered with it.
      const message = `The action made more than ${MAX_PENDING_HOST_CALLS} platform calls at once`;
      this.finish({ ok: false, error: runError('SandboxLimitError', message) });
      return;
    }
    const checked = checkHostCallArgs({ namespace, method }, argsJson);
    this.hostCallsInFlight += 1;
    const reply = checked.ok
      ? answerHostCall(this.bridge, { namespace, method, args: checked.args }, this.abortSignal())
      : Promise.resolve(checked.reply);
    void reply.then(({ ok, json }) => {
      this.hostCallsInFlight -= 1;
      this.enter('settle', id, ok, json);
    });
  }

  private abortSignal(): AbortSignal {
    this.abort ??= new AbortController();
    return this.abort.signal;
  }

  private onTimer(id: number, delay: number): void {
    if (this.timers.size >= MAX_PENDING_TIMERS) {
      const message = `The action set more than ${MAX_PENDING_TIMERS} timers at once`;
      this.finish({ ok: false, error: runError('SandboxLimitError', message) });
      return;
    }
    const ms = Math.min(Math.max(0, delay), this.request.timeoutMs);
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.enter('timer', id);
    }, ms);
    this.timers.set(id, timer);
  }

  private onClearTimer(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  private onDone(kind: string, text: string): void {
    if (this.doneVerdict) return;
    const verdict = verdictFromDone(kind, text);
    if (!verdict) return;
    this.doneVerdict = verdict;
    this.graceTimer = setTimeout(() => this.finish(verdict), DONE_GRACE_MS);
    this.finishIfDrained();
  }

  private finishIfDrained(): void {
    if (this.doneVerdict && this.tasksInFlight === 0) this.finish(this.doneVerdict);
  }

  onCatastrophe(message: string): void {
    poisonedBy = message;
    log.fatal({ detail: message }, 'isolated-vm reported a catastrophic error');
    this.catastrophe = message;
    this.finish({ ok: false, limit: 'crash', error: crashError('the JavaScript engine failed') });
  }

  // ------------------------------------------------------------------ the end

  private finish(verdict: Verdict): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.deadline);
    clearTimeout(this.graceTimer);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    // Host work the run started (bridge calls) sees this and stops.
    this.abort?.abort();
    const durationMs = Math.round(this.elapsed());
    this.resolveOutcome({ ...verdict, console: this.console.snapshot(), durationMs });
    // The outcome goes out first: disposing an isolate takes ≈ 0.3 ms. Until then whatever
    // still runs inside is heard by no one (the run is finished) and reaches nothing.
    setImmediate(() => this.release());
  }

  /** Disposing also terminates whatever still runs inside: a spinning loop, a pending task. */
  private release(): void {
    this.disposedByUs = true;
    const steps = [
      () => this.enterRef?.release(),
      () => this.context?.release(),
      () => {
        if (this.isolate && !this.isolate.isDisposed) this.isolate.dispose();
      },
    ];
    for (const step of steps) {
      try {
        step();
      } catch {
        // Already released or disposed by isolated-vm itself (memory limit): nothing to free.
      }
    }
  }

  private elapsed(): number {
    return performance.now() - this.startedAt;
  }

  private isolateTimeout(): number {
    const remaining = Math.ceil(this.request.timeoutMs - this.elapsed());
    return Math.max(1, remaining) + ISOLATE_TIMEOUT_SLACK_MS;
  }
}
