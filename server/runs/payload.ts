import { AppError } from '../errors';
import { findShapeFault, formatPath, MAX_JSON_DEPTH, withoutProtoKeys } from '../json-shape';

export const MAX_PAYLOAD_DEPTH = MAX_JSON_DEPTH;

/**
 * A run payload is a JSON object (absent means `{}`), within a size and nesting cap, so that what
 * the action receives is exactly what was sent and nothing can exhaust the runner. `__proto__`
 * keys are dropped at every level (see withoutProtoKeys); the result is a copy.
 */
export function checkPayload(value: unknown, maxBytes: number): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('PAYLOAD_INVALID', 'The payload must be a JSON object, such as {"id": 1}');
  }
  // Walked before it is serialised or copied: a very deep payload must not overflow the stack.
  checkShape(value);
  const payload = withoutProtoKeys(value as Record<string, unknown>);
  const bytes = Buffer.byteLength(JSON.stringify(payload), 'utf8');
  if (bytes > maxBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The payload is ${bytes} bytes; the limit is ${maxBytes} bytes. Store large inputs in a ` +
        'data source and pass their id instead',
    );
  }
  return payload;
}

/**
 * Depth within the cap, and text that Postgres can store: no NUL character and no lone UTF-16
 * surrogate in any key or string (jsonb refuses both, which would lose the run after queueing).
 */
function checkShape(value: object): void {
  const fault = findShapeFault(value, { maxDepth: MAX_PAYLOAD_DEPTH });
  if (!fault) return;
  const message =
    fault.reason === 'depth'
      ? `The payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels`
      : `The payload at ${formatPath(fault.path)} ${fault.message}`;
  throw new AppError('PAYLOAD_INVALID', message);
}

/** Parses a request body as a payload; an empty body is `{}`. */
export function parsePayloadText(text: string, maxBytes: number): Record<string, unknown> {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `The payload is larger than ${maxBytes} bytes`);
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError('PAYLOAD_INVALID', 'The payload is not valid JSON', { cause: error });
  }
  return checkPayload(parsed, maxBytes);
}
