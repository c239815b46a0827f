import { AppError } from '../errors';

export const MAX_PAYLOAD_DEPTH = 64;

/**
 * A run payload is a JSON object (absent means `{}`), within a size and nesting cap, so that what
 * the action receives is exactly what was sent and nothing can exhaust the runner.
 */
export function checkPayload(value: unknown, maxBytes: number): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('PAYLOAD_INVALID', 'The payload must be a JSON object, such as {"id": 1}');
  }
  // Walked before it is serialised: a very deep payload must not overflow the stack first.
  checkShape(value);
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > maxBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The payload is ${bytes} bytes; the limit is ${maxBytes} bytes. Store large inputs in a ` +
        'data source and pass their id instead',
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Depth within the cap, and text that Postgres can store: no NUL character and no lone UTF-16
 * surrogate in any key or string (jsonb refuses both, which would lose the run after queueing).
 */
function checkShape(value: unknown): void {
  const stack: { node: unknown; depth: number; path: string }[] = [
    { node: value, depth: 1, path: '$' },
  ];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (typeof node === 'string') {
      checkText(node, path);
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_PAYLOAD_DEPTH) {
      throw new AppError('PAYLOAD_INVALID', `The payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels`);
    }
    for (const [key, child] of Object.entries(node)) {
      checkText(key, `${path} key`);
      stack.push({ node: child, depth: depth + 1, path: `${path}.${key}` });
    }
  }
}

function checkText(text: string, path: string): void {
  if (text.includes('\u0000') || !text.isWellFormed()) {
    throw new AppError(
      'PAYLOAD_INVALID',
      `The payload has a NUL character or a broken UTF-16 surrogate at ${path.slice(0, 200)}; ` +
        'such text cannot be stored',
    );
  }
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
