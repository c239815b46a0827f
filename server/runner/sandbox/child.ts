/**
 * Entry of a sandbox child process (forked by pool.ts). It runs one action at a time in a
 * fresh isolate; host calls go to the parent over IPC. If V8 dies here (out of memory outside
 * the isolate's checks, a fatal engine error, a kill), only this process and its one run go.
 */
import { logger } from '@/server/log';

import { executeInIsolateRaw, processPoisonedBy, warmNextIsolate } from './executor';
import { runError } from './run-errors';
import type { ChildMessage, ParentMessage } from './ipc';
import { parentMessageSchema } from './ipc';
import type { RawSandboxOutcome } from './outcomes';
import type { HostBridge, SandboxRequest } from './types';

const log = logger.child({ component: 'sandbox-child' });

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** Host calls of the current run, by call id. Cleared when the run ends. */
const pendingCalls = new Map<number, PendingCall>();
let nextCallId = 1;
let currentRunId: string | undefined;
/** Set by a shutdown that arrived during a run: the run finishes first. */
let shuttingDown = false;
let warmTimer: NodeJS.Timeout | undefined;

/**
 * The next run's isolate is prepared a little after an outcome goes out, not at once: the
 * runner is then recording the run and waking its caller, and an isolate being built here took
 * the CPU from it (a trivial run through the pool: 3.75 ms when warming at once, 2.55 ms 2 ms
 * later). A run that comes sooner builds its own isolate, as it would without a spare.
 */
const WARM_DELAY_MS = 3;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      resolve();
      return;
    }
    process.send(message, undefined, undefined, () => resolve());
  });
}

function bridgeFor(runId: string): HostBridge {
  return (call) =>
    new Promise((resolve, reject) => {
      const callId = nextCallId;
      nextCallId += 1;
      pendingCalls.set(callId, { resolve, reject });
      // The isolate run checked the arguments' size and nesting; JSON text crosses safely.
      const { namespace, method, args } = call;
      const argsJson = JSON.stringify(args);
      void send({ type: 'host-call', runId, callId, namespace, method, argsJson });
    });
}

function onHostReply(message: Extract<ParentMessage, { type: 'host-reply' }>): void {
  const pending = message.runId === currentRunId ? pendingCalls.get(message.callId) : undefined;
  if (!pending) return;
  pendingCalls.delete(message.callId);
  if (message.ok) {
    pending.resolve(message.json === undefined ? undefined : (JSON.parse(message.json) as unknown));
    return;
  }
  const wire = JSON.parse(message.json ?? '{}') as { name?: unknown; message?: unknown };
  const error = new Error(String(wire.message ?? 'Platform call failed'));
  error.name = String(wire.name ?? 'Error');
  pending.reject(error);
}

async function onRun(runId: string, request: SandboxRequest): Promise<void> {
  if (currentRunId !== undefined) {
    const error = runError('SandboxError', 'The sandbox process was already busy');
    const outcome = { ok: false as const, error, console: [], durationMs: 0 };
    await send({ type: 'outcome', runId, outcome });
    return;
  }
  currentRunId = runId;
  clearTimeout(warmTimer);
  let outcome: RawSandboxOutcome;
  try {
    outcome = await executeInIsolateRaw(request, bridgeFor(runId));
  } catch (error) {
    log.error({ err: error }, 'sandbox run failed before it started');
    const failure = runError('SandboxError', 'The sandbox could not run the action');
    outcome = { ok: false, error: failure, console: [], durationMs: 0 };
  }
  currentRunId = undefined;
  // Replies still on their way belong to a finished run; their promises are simply dropped.
  pendingCalls.clear();
  await send({ type: 'outcome', runId, outcome });
  const poisoned = processPoisonedBy();
  if (poisoned !== undefined) {
    log.fatal({ detail: poisoned }, 'V8 reported a catastrophic error; the sandbox process exits');
    process.exit(1);
  }
  if (shuttingDown) process.exit(0);
  // Runs of one runner share their limits, so the next run can start on a ready isolate.
  const limits = { memoryMb: request.memoryMb, timeoutMs: request.timeoutMs };
  warmTimer = setTimeout(() => warmNextIsolate(limits), WARM_DELAY_MS);
}

function onMessage(raw: unknown): void {
  const parsed = parentMessageSchema.safeParse(raw);
  if (!parsed.success) {
    log.error({ issues: parsed.error.issues.length }, 'malformed message from the pool');
    return;
  }
  const message = parsed.data;
  if (message.type === 'run') void onRun(message.runId, message.request);
  else if (message.type === 'host-reply') onHostReply(message);
  else if (currentRunId === undefined) process.exit(0);
  else shuttingDown = true;
}

process.on('message', onMessage);
// Without the parent nobody reads our results: stop.
process.on('disconnect', () => process.exit(0));
// Ctrl+C in a terminal signals the whole process group; the runner decides when its children
// end (after draining), so the child leaves SIGINT to it.
process.on('SIGINT', () => {});
void send({ type: 'ready' });
