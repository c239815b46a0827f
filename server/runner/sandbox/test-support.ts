/** Helpers shared by the sandbox tests (executor, escape, pool). */
import { expect } from 'vitest';

import type { HostBridge, HostCall, SandboxOutcome, SandboxRequest } from './types';

/**
 * A stand-in platform package: `Test.<method>(...args)` calls the host, the way real package
 * shims do (capturing `__hostCall` before it is deleted).
 */
export const testPrelude = {
  name: 'test-api.js',
  source: `(function (hostCall) {
    const call = (method) => (...args) => hostCall('Test', method, args);
    globalThis.Test = { echo: call('echo'), fail: call('fail'), slow: call('slow') };
  })(__hostCall);`,
};

export function sandboxRequest(
  code: string,
  overrides: Partial<SandboxRequest> = {},
): SandboxRequest {
  const defaults = { payload: {}, timeoutMs: 1000, memoryMb: 64, preludes: [testPrelude] };
  return { code, ...defaults, ...overrides };
}

/** Action code whose `execute` body is `body`. */
export function action(body: string): string {
  return `async function execute(context) { ${body} }`;
}

export interface RecordingBridge {
  bridge: HostBridge;
  calls: HostCall[];
  signals: AbortSignal[];
  /** Calls of `slow` that saw their run's signal abort. */
  aborted: () => number;
}

/**
 * A bridge with three methods: `echo` returns its arguments, `fail` throws a host TypeError
 * (a host-realm object, as in case C23), `slow` waits until its run's signal aborts.
 */
export function recordingBridge(): RecordingBridge {
  const calls: HostCall[] = [];
  const signals: AbortSignal[] = [];
  let aborted = 0;
  const bridge: HostBridge = async (call, signal) => {
    calls.push(call);
    signals.push(signal);
    if (call.method === 'fail') {
      throw new TypeError(`Invalid arguments: ${JSON.stringify(call.args)}`);
    }
    if (call.method === 'slow') {
      await new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => {
          aborted += 1;
          resolve();
        });
      });
      return 'late';
    }
    return call.args;
  };
  return { bridge, calls, signals, aborted: () => aborted };
}

/** Largest gap between ticks of a 10 ms interval on this event loop while it ran. */
export function watchEventLoop(): { stop: () => number } {
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return maxGap;
    },
  };
}

export function expectSuccess(outcome: SandboxOutcome): unknown {
  if (!outcome.ok) throw new Error(`expected success, got ${JSON.stringify(outcome.error)}`);
  return outcome.result;
}

export function expectFailure(outcome: SandboxOutcome) {
  if (outcome.ok) throw new Error(`expected failure, got ${JSON.stringify(outcome.result)}`);
  return outcome;
}

export function expectTimeout(outcome: SandboxOutcome, timeoutMs: number, wallMs: number): void {
  const failure = expectFailure(outcome);
  expect(failure.limit).toBe('timeout');
  expect(failure.error.name).toBe('TimeoutError');
  expect(failure.error.message).toBe(`Action timed out after ${timeoutMs} ms`);
  // Case C19/C20: at T, within a second.
  expect(wallMs).toBeGreaterThanOrEqual(timeoutMs - 5);
  expect(wallMs).toBeLessThan(timeoutMs + 1000);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
