import { readFileSync } from 'node:fs';

import ivm from 'isolated-vm';

import { runtimeLimits } from './limits';
import { INTERNAL_FILE_PREFIX } from './run-errors';
import { compilePlatformScript } from './script-cache';

// An expression, so running the script yields the runtime's function and declares no global.
const RUNTIME_SOURCE = `(${readFileSync(new URL('./isolate-runtime.js', import.meta.url), 'utf8')})`;
const RUNTIME_FILE = `${INTERNAL_FILE_PREFIX}runtime.js`;

export type Enter = (kind: string, a?: unknown, b?: unknown, c?: unknown) => void;
type RuntimeFactory = (post: unknown, limits: unknown) => Enter;

/** The run an isolate serves: it receives what the runtime posts and engine failures. */
export interface IsolateOwner {
  onPost(args: unknown[]): void;
  onCatastrophe(message: string): void;
}

/** A fresh isolate with the runtime installed and nothing of any action in it yet. */
export interface ReadyIsolate {
  isolate: ivm.Isolate;
  context: ivm.Context;
  enter: ivm.Reference<Enter>;
  /** Hands the isolate to the run that uses it; it serves that run only. */
  attach(owner: IsolateOwner): void;
}

/** An isolate just created: the runtime is not installed yet. */
export interface NewIsolate {
  isolate: ivm.Isolate;
  attach(owner: IsolateOwner): void;
  /** Installs the runtime; a failure leaves disposing the isolate to the caller. */
  install(timeoutMs: number): Promise<ReadyIsolate>;
}

/**
 * Creates an isolate. `onPoison` hears a catastrophic engine error even before any run owns
 * the isolate, so the process still learns that V8 may be corrupted.
 */
export function newIsolate(
  limits: { memoryMb: number; timeoutMs: number },
  onPoison: (message: string) => void,
): NewIsolate {
  let owner: IsolateOwner | undefined;
  const attach = (next: IsolateOwner) => {
    owner = next;
  };
  const isolate = new ivm.Isolate({
    memoryLimit: limits.memoryMb,
    onCatastrophicError: (message) => {
      onPoison(message);
      owner?.onCatastrophe(message);
    },
  });
  // Synchronous calls: only platform code runs here, and each asynchronous step into the
  // isolate is a hop to its thread and back that costs ≈ 0.1 ms of CPU.
  const install = async (timeoutMs: number): Promise<ReadyIsolate> => {
    const context = isolate.createContextSync();
    const runtime = compilePlatformScript(isolate, RUNTIME_SOURCE, RUNTIME_FILE);
    const options = { timeout: timeoutMs, release: true, reference: true } as const;
    const factory: ivm.Reference<RuntimeFactory> = runtime.runSync(context, options);
    const post = new ivm.Callback((...args: unknown[]) => owner?.onPost(args), { ignored: true });
    const copy = new ivm.ExternalCopy(runtimeLimits(limits.timeoutMs)).copyInto();
    try {
      const enter: ivm.Reference<Enter> = factory.applySync(undefined, [post, copy], {
        result: { reference: true },
        timeout: timeoutMs,
      });
      return { isolate, context, enter, attach };
    } finally {
      factory.release();
    }
  };
  return { isolate, attach, install };
}

async function readySpare(
  limits: { memoryMb: number; timeoutMs: number },
  onPoison: (message: string) => void,
): Promise<ReadyIsolate | undefined> {
  const created = newIsolate(limits, onPoison);
  try {
    return await created.install(SPARE_INSTALL_TIMEOUT_MS);
  } catch {
    // A run creates its own isolate instead, and reports whatever goes wrong there.
    if (!created.isolate.isDisposed) created.isolate.dispose();
    return undefined;
  }
}

/** Time allowed to install the runtime into a spare, which no run's clock is waiting on. */
const SPARE_INSTALL_TIMEOUT_MS = 5_000;

let spare: { key: string; ready: Promise<ReadyIsolate | undefined> } | undefined;

function keyOf(limits: { memoryMb: number; timeoutMs: number }): string {
  return `${limits.memoryMb}:${limits.timeoutMs}`;
}

/**
 * Prepares the next run's isolate while the process is idle, so a run does not wait for an
 * isolate to be created and its runtime installed (the larger part of a trivial run's time).
 * The spare is still fresh: no action's code has touched it. One spare at most.
 */
export function warmSpareIsolate(
  limits: { memoryMb: number; timeoutMs: number },
  onPoison: (message: string) => void,
): void {
  const key = keyOf(limits);
  if (spare?.key === key) return;
  discardSpare();
  const ready = readySpare(limits, onPoison);
  spare = { key, ready };
}

/** The spare, if one was prepared with these limits; it is handed out once. */
export async function takeSpareIsolate(limits: {
  memoryMb: number;
  timeoutMs: number;
}): Promise<ReadyIsolate | undefined> {
  if (spare?.key !== keyOf(limits)) return undefined;
  const { ready } = spare;
  spare = undefined;
  const isolate = await ready;
  return isolate && !isolate.isolate.isDisposed ? isolate : undefined;
}

function discardSpare(): void {
  const old = spare;
  spare = undefined;
  void old?.ready.then((isolate) => {
    if (isolate && !isolate.isolate.isDisposed) isolate.isolate.dispose();
  });
}
