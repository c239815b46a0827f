import { IsolateRun } from './isolate-run';
import { MIN_MEMORY_MB } from './limits';
import type { RawSandboxOutcome } from './outcomes';
import { parseOutcome } from './outcomes';
import type { HostBridge, SandboxOutcome, SandboxRequest } from './types';

export { MAX_RESULT_BYTES } from './limits';
export { processPoisonedBy, warmNextIsolate } from './isolate-run';

/** A malformed request is the caller's bug, not the action's: it throws, the run never starts. */
export function assertValidRequest(request: SandboxRequest): void {
  if (typeof request.code !== 'string') throw new TypeError('code must be a string');
  if (!Number.isFinite(request.timeoutMs) || request.timeoutMs <= 0) {
    throw new RangeError(`timeoutMs must be a positive number, got ${request.timeoutMs}`);
  }
  if (!Number.isFinite(request.memoryMb) || request.memoryMb < MIN_MEMORY_MB) {
    throw new RangeError(`memoryMb must be at least ${MIN_MEMORY_MB}, got ${request.memoryMb}`);
  }
}

/**
 * Runs one action in a fresh isolate and returns its outcome with the result still as JSON text
 * (what the pool's child sends to its parent). Never rejects for anything the action does.
 */
export async function executeInIsolateRaw(
  request: SandboxRequest,
  bridge: HostBridge,
): Promise<RawSandboxOutcome> {
  assertValidRequest(request);
  return new IsolateRun(request, bridge).start();
}

/**
 * Runs one action in a fresh isolate in this process: its own heap capped at
 * `request.memoryMb`, a wall-clock limit of `request.timeoutMs` over everything it does, and no
 * way to the host except host calls made by the preludes through `bridge`.
 */
export async function executeInIsolate(
  request: SandboxRequest,
  bridge: HostBridge,
): Promise<SandboxOutcome> {
  return parseOutcome(await executeInIsolateRaw(request, bridge));
}
