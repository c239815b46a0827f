/**
 * Fixed limits of one sandboxed run, besides the per-request time and memory caps. The isolate
 * runtime enforces them so honest code gets a catchable error; the host enforces them again
 * because code inside the isolate can tamper with anything there.
 */

/** Largest result, in UTF-8 bytes of its JSON: the product promises 6 MB to callers. */
export const MAX_RESULT_BYTES = 6 * 1024 * 1024;

/** Console lines kept per run; later lines are dropped and a note says so. */
export const MAX_CONSOLE_LINES = 1000;

/** Console bytes (UTF-8) kept per run. */
export const MAX_CONSOLE_BYTES = 256 * 1024;

/** One console line is cut to this many characters before it leaves the isolate. */
export const MAX_CONSOLE_LINE_CHARS = 8 * 1024;

/** Host calls a run may have waiting at once; more is a runaway loop, not real work. */
export const MAX_PENDING_HOST_CALLS = 64;

/** Characters of JSON arguments one host call may carry. */
export const MAX_HOST_CALL_ARGS_CHARS = 1024 * 1024;

/**
 * Nesting of host-call arguments and replies (the outermost array or object is level 1). Deeper
 * values are refused before anything recursive reads them. Twice a payload's 64 levels, so
 * that a value within that cap still fits inside the arrays and objects that wrap it (the
 * argument list, `find`'s entries, `commit`'s options).
 */
export const MAX_HOST_VALUE_DEPTH = 128;

/** Pending `setTimeout` callbacks per run. */
export const MAX_PENDING_TIMERS = 256;

/** Result nesting depth; deeper values are refused rather than risking a stack overflow. */
export const MAX_RESULT_DEPTH = 1000;

/** Smallest isolate heap isolated-vm accepts. */
export const MIN_MEMORY_MB = 8;

/** The limits the in-isolate runtime reads; a plain object so it crosses as a copy. */
export interface RuntimeLimits {
  maxResultBytes: number;
  maxResultDepth: number;
  maxConsoleLines: number;
  maxConsoleChars: number;
  maxConsoleLineChars: number;
  maxPendingHostCalls: number;
  maxHostCallArgsChars: number;
  maxPendingTimers: number;
  maxTimerDelayMs: number;
}

export function runtimeLimits(timeoutMs: number): RuntimeLimits {
  return {
    maxResultBytes: MAX_RESULT_BYTES,
    maxResultDepth: MAX_RESULT_DEPTH,
    maxConsoleLines: MAX_CONSOLE_LINES,
    maxConsoleChars: MAX_CONSOLE_BYTES,
    maxConsoleLineChars: MAX_CONSOLE_LINE_CHARS,
    maxPendingHostCalls: MAX_PENDING_HOST_CALLS,
    maxHostCallArgsChars: MAX_HOST_CALL_ARGS_CHARS,
    maxPendingTimers: MAX_PENDING_TIMERS,
    // A timer longer than the run can never fire inside it.
    maxTimerDelayMs: timeoutMs,
  };
}
