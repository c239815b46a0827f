import { findShapeFault, isPlainObject, textFault } from '../json-shape';
import type { ConsoleLine } from '../runner/sandbox/types';

/** What stands in for text PostgreSQL cannot keep: U+FFFD, the Unicode replacement character. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

export const REPLACED_TEXT_NOTE =
  'Some text of this run could not be stored as it was: NUL characters and broken UTF-16 ' +
  `surrogates were replaced with U+FFFD (${REPLACEMENT_CHARACTER}).`;

/** PostgreSQL's text and jsonb refuse NUL and lone UTF-16 surrogates, failing the whole write. */
function unstorable(text: string): boolean {
  return textFault(text) !== null;
}

export function storableText(text: string): string {
  if (!unstorable(text)) return text;
  return text.toWellFormed().replaceAll('\u0000', REPLACEMENT_CHARACTER);
}

type Container = Record<string, unknown> | unknown[];

/** Arrays and plain objects: what JSON values are made of. Anything else is kept as it is. */
function isContainer(value: unknown): value is Container {
  if (typeof value !== 'object' || value === null) return false;
  return Array.isArray(value) || isPlainObject(value);
}

/** Whether any string or key in the value needs replacing (the shared walk, any depth). */
function needsReplacing(value: unknown): boolean {
  return findShapeFault(value, { maxDepth: Infinity }) !== null;
}

function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  // Defined, not assigned: a "__proto__" key of a parsed JSON value is data, not a prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy with every string and key made storable; walks without recursion. */
function replaceAll(value: unknown): unknown {
  const copies: [Container, Container][] = [];
  const copyOf = (node: unknown): unknown => {
    if (typeof node === 'string') return storableText(node);
    if (!isContainer(node)) return node;
    const copy: Container = Array.isArray(node) ? [] : {};
    copies.push([node, copy]);
    return copy;
  };
  const root = copyOf(value);
  while (copies.length > 0) {
    const [source, target] = copies.pop()!;
    if (Array.isArray(source) && Array.isArray(target)) {
      for (const item of source) target.push(copyOf(item));
    } else if (!Array.isArray(source) && !Array.isArray(target)) {
      // Two keys that differ only in replaced characters become one; the later value stays.
      for (const [key, item] of Object.entries(source)) {
        setMember(target, storableText(key), copyOf(item));
      }
    }
  }
  return root;
}

/**
 * A JSON value (no cycles) that PostgreSQL can store: NUL characters and lone surrogates in
 * every string and key become U+FFFD. The same value comes back when there is nothing to
 * replace, so the common case copies nothing.
 */
export function storableJson<T>(value: T): { value: T; replaced: boolean } {
  if (!needsReplacing(value)) return { value, replaced: false };
  return { value: replaceAll(value) as T, replaced: true };
}

/**
 * A run log's `data` and console as they can be stored; when anything was replaced, a `warn`
 * console line at the end of the run says so.
 */
export function storableRunLog<D>(
  data: D,
  console: ConsoleLine[],
  durationMs: number,
): { data: D; console: ConsoleLine[] } {
  const storedData = storableJson(data);
  const storedConsole = storableJson(console);
  if (!storedData.replaced && !storedConsole.replaced) return { data, console };
  const note: ConsoleLine = { level: 'warn', message: REPLACED_TEXT_NOTE, at: durationMs };
  return { data: storedData.value, console: [...storedConsole.value, note] };
}
