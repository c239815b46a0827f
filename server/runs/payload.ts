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
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The payload is ${bytes} bytes; the limit is ${maxBytes} bytes. Store large inputs in a ` +
        'data source and pass their id instead',
    );
  }
  if (depthOf(value) > MAX_PAYLOAD_DEPTH) {
    throw new AppError('PAYLOAD_INVALID', `The payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  }
  return value as Record<string, unknown>;
}

function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_PAYLOAD_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return deepest;
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
