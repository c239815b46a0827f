import { jsonNestsDeeperThan } from './json-depth';
import { MAX_RESULT_BYTES, MAX_RESULT_DEPTH } from './limits';
import {
  resultTooLargeError,
  runError,
  sanitizeStack,
  unserializableResultError,
} from './run-errors';
import type { ConsoleLine, SandboxOutcome } from './types';

export type FailedOutcome = Extract<SandboxOutcome, { ok: false }>;

/**
 * An outcome whose result is still the JSON text the isolate produced. The pool moves this
 * between processes and parses it once, at the end.
 */
export type RawSandboxOutcome =
  | { ok: true; resultJson: string; console: ConsoleLine[]; durationMs: number }
  | FailedOutcome;

/** How a run ended, before its console and duration are attached. */
export type Verdict =
  | { ok: true; resultJson: string }
  | Omit<FailedOutcome, 'console' | 'durationMs'>;

/**
 * The outcome with its result parsed. The runtime refuses deeper results, so a deeper text means
 * it was tampered with; it is refused here too, because the runner reads results with recursive
 * code (the run log's serialisation, PostgreSQL's jsonb parser).
 */
export function parseOutcome(raw: RawSandboxOutcome): SandboxOutcome {
  if (!raw.ok) return raw;
  const { console, durationMs } = raw;
  if (jsonNestsDeeperThan(raw.resultJson, MAX_RESULT_DEPTH)) {
    const message = `values nested more than ${MAX_RESULT_DEPTH} levels deep`;
    return { ok: false, error: unserializableResultError(message), console, durationMs };
  }
  try {
    return { ok: true, result: JSON.parse(raw.resultJson) as unknown, console, durationMs };
  } catch {
    // Only reachable when the action tampered with the runtime's encoder.
    const error = unserializableResultError('the encoded result is not valid JSON');
    return { ok: false, error, console, durationMs };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function thrownVerdict(text: string): Verdict {
  const wire = parseJson(text);
  if (
    !isRecord(wire) ||
    typeof wire.name !== 'string' ||
    typeof wire.message !== 'string' ||
    typeof wire.stack !== 'string'
  ) {
    return { ok: false, error: runError('Error', 'The action failed with an unreadable error') };
  }
  return { ok: false, error: runError(wire.name, wire.message, sanitizeStack(wire.stack)) };
}

function tooLargeVerdict(text: string): Verdict | undefined {
  const wire = parseJson(text);
  if (!isRecord(wire) || typeof wire.bytes !== 'number' || typeof wire.exact !== 'boolean') {
    return undefined;
  }
  return { ok: false, limit: 'result-size', error: resultTooLargeError(wire.bytes, wire.exact) };
}

/**
 * Reads the runtime's final message. Every field is checked again here: the action may have
 * tampered with the runtime, so nothing it says about sizes or shapes is taken on trust.
 */
export function verdictFromDone(kind: string, text: string): Verdict | undefined {
  switch (kind) {
    case 'result': {
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > MAX_RESULT_BYTES) {
        return { ok: false, limit: 'result-size', error: resultTooLargeError(bytes, true) };
      }
      return { ok: true, resultJson: text };
    }
    case 'thrown':
      return thrownVerdict(text);
    case 'unserialisable':
      return { ok: false, error: unserializableResultError(text) };
    case 'too-large':
      return tooLargeVerdict(text);
    default:
      return undefined;
  }
}
