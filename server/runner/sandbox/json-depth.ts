/**
 * How deeply a JSON text nests, read from the text itself without parsing it and without
 * recursion. Recursive readers of JSON values (V8's structured clone used by IPC, zod, drizzle,
 * `JSON.stringify`, PostgreSQL's jsonb parser) overflow their stacks on a deep enough value,
 * so a value must pass this before any of them sees it.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** End of the string that opens at `start` (the index of its closing quote), or -1. */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    // An even run of backslashes escapes itself, not the quote.
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

/**
 * True when the JSON text has objects or arrays nested more than `limit` levels deep (the
 * outermost container is level 1). Stops reading at the first level past the limit. Text that
 * is not JSON gives an answer about its brackets only; parse it afterwards as usual.
 */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit === QUOTE) {
      const end = stringEnd(text, i);
      if (end === -1) return false;
      i = end;
    } else if (unit === OPEN_BRACE || unit === OPEN_BRACKET) {
      depth += 1;
      if (depth > limit) return true;
    } else if (unit === CLOSE_BRACE || unit === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}
