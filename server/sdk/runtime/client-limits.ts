/**
 * Limits and errors of runs in the browser, shared by the page runtime (which enforces them)
 * and the server (which records what browsers report). Pure: the browser bundle imports it.
 */
import { runError } from '../../runner/sandbox/run-errors';
import type { RunError } from '../../runner/sandbox/types';

/** Workers one page runs at once; more runs wait their turn. */
export const MAX_CLIENT_RUNS_AT_ONCE = 4;

/** Runs one page lets wait; past this, analytics runs are dropped and manual runs refused. */
export const MAX_CLIENT_RUNS_WAITING = 32;

/** The message every browser timeout carries, in the page and in the run log alike. */
export function clientTimeoutError(timeoutMs: number): RunError {
  return runError(
    'TimeoutError',
    `Action timed out after ${timeoutMs} ms (the time limit of a run in the browser); ` +
      'its worker was stopped',
  );
}
