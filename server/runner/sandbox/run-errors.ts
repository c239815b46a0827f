import { MAX_RESULT_BYTES } from './limits';
import type { RunError } from './types';

/** Frames below this line belong to the host process that called into the isolate. */
const BOUNDARY_FRAME = '<isolated-vm boundary>';
/** Names of the sandbox's own scripts in the isolate; their frames mean nothing to users. */
export const INTERNAL_FILE_PREFIX = 'sandbox-internal:';

const MAX_TEXT_CHARS = 16 * 1024;
const MB = 1024 * 1024;

function cut(text: string): string {
  return text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS)}…` : text;
}

export function runError(name: string, message: string, stack?: string): RunError {
  const safeName = cut(name);
  const safeMessage = cut(message);
  const safeStack = cut(stack ?? `${safeName}: ${safeMessage}`);
  return { name: safeName, message: safeMessage, stack: safeStack };
}

export function timeoutError(timeoutMs: number): RunError {
  return runError('TimeoutError', `Action timed out after ${timeoutMs} ms`);
}

export function memoryLimitError(memoryMb: number): RunError {
  return runError('MemoryLimitError', `Action exceeded its memory limit of ${memoryMb} MB`);
}

/** `exact` is false when the walk stopped early: the size is then a lower bound. */
export function resultTooLargeError(bytes: number, exact: boolean): RunError {
  const size = exact ? `${bytes} bytes` : `at least ${bytes} bytes`;
  const limit = `${MAX_RESULT_BYTES} bytes (${MAX_RESULT_BYTES / MB} MB)`;
  return runError(
    'ResultTooLargeError',
    `The result of execute() is ${size} of JSON, more than the limit of ${limit}`,
  );
}

export function unserializableResultError(detail: string): RunError {
  return runError(
    'UnserializableResultError',
    `The result of execute() is not JSON-serialisable: ${detail}`,
  );
}

export function crashError(detail: string): RunError {
  return runError('SandboxCrashError', `The sandbox running this action stopped: ${detail}`);
}

/**
 * Keeps the user's frames of a stack that isolated-vm copied out: drops the sandbox's own
 * frames and everything below the isolate boundary (those are host file paths).
 */
export function sanitizeStack(stack: string): string {
  const kept: string[] = [];
  for (const line of stack.split('\n')) {
    if (line.includes(BOUNDARY_FRAME)) break;
    if (!line.includes(INTERNAL_FILE_PREFIX)) kept.push(line);
  }
  return kept.join('\n');
}

/** isolated-vm's replacement text when a thrown object is not an Error (it cannot copy it). */
const IVM_NON_ERROR_OBJECT = 'An object was thrown from supplied code within isolated-vm';

/**
 * Turns a value that isolated-vm copied out of the isolate after a throw (an Error copy, a
 * primitive, or its stand-in for objects) into the run's error.
 */
export function errorFromCopy(value: unknown): RunError {
  if (value instanceof Error) {
    if (value.message.startsWith(IVM_NON_ERROR_OBJECT)) {
      return nonErrorThrown('an object that is not an Error');
    }
    const stack = typeof value.stack === 'string' ? sanitizeStack(value.stack) : undefined;
    return runError(value.name, value.message, stack || undefined);
  }
  return nonErrorThrown(previewValue(value));
}

function nonErrorThrown(description: string): RunError {
  return runError('NonErrorThrown', `The action threw a non-Error value: ${description}`);
}

/** A one-line description of a copied value for messages; never throws. */
export function previewValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined || typeof value === 'symbol' || typeof value === 'function') {
    return String(value);
  }
  try {
    return cut(JSON.stringify(value) ?? String(value));
  } catch {
    return Object.prototype.toString.call(value);
  }
}
