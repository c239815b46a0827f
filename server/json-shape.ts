/**
 * Rules for JSON that users send and Postgres stores (run payloads, data source entries and
 * queries, notifications): a nesting cap, and text that jsonb and text columns can hold. jsonb
 * refuses a NUL character and a lone UTF-16 surrogate, and a text column would silently store
 * the surrogate as U+FFFD, so both are refused up front with the caller's own error code.
 *
 * The walks here use an explicit stack: a value nested 100,000 levels deep (a 1 MB body can
 * hold that many) is refused instead of overflowing the call stack. Code that recurses over a
 * user's value must run after these checks have capped its depth.
 */

/** How deep user JSON may nest; the value itself is level 1. */
export const MAX_JSON_DEPTH = 64;

export interface ShapeRules {
  /** Deepest level allowed; the value itself is level 1. */
  maxDepth?: number;
  /** Also refuse what JSON cannot carry: undefined, functions, NaN, Infinity, Dates, … */
  jsonOnly?: boolean;
  /** Check keys and strings for NUL characters and broken surrogates (default true). */
  text?: boolean;
}

export interface ShapeFault {
  /** Keys and indexes from the value to the fault (to the object, for a key at fault). */
  path: (string | number)[];
  reason: 'depth' | 'text' | 'value';
  /** What is wrong there, e.g. `is nested deeper than 64 levels`. */
  message: string;
}

/** The first part of `value` that breaks the rules, or null when it keeps them all. */
export function findShapeFault(value: unknown, rules: ShapeRules = {}): ShapeFault | null {
  const maxDepth = rules.maxDepth ?? MAX_JSON_DEPTH;
  const checkText = rules.text ?? true;
  // Each item links to its parent, so a path is only built for the fault that is reported.
  const stack: Visit[] = [{ node: value, depth: 1, at: null }];
  while (stack.length > 0) {
    const { node, depth, at } = stack.pop()!;
    if (typeof node === 'string') {
      const problem = checkText ? textFault(node) : null;
      if (problem) return faultAt(at, 'text', `contains ${problem}, which cannot be stored`);
      continue;
    }
    if (typeof node !== 'object' || node === null) {
      if (rules.jsonOnly && !isJsonScalar(node)) {
        return faultAt(at, 'value', `is ${kindOf(node)}, which is not a JSON value`);
      }
      continue;
    }
    if (rules.jsonOnly && !Array.isArray(node) && !isPlainObject(node)) {
      return faultAt(at, 'value', 'is an object of a class, which is not a JSON value');
    }
    if (depth > maxDepth) return faultAt(at, 'depth', `is nested deeper than ${maxDepth} levels`);
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        stack.push({ node: child, depth: depth + 1, at: { key: index, parent: at } });
      });
      continue;
    }
    for (const [key, child] of Object.entries(node)) {
      const problem = checkText ? textFault(key) : null;
      if (problem) return faultAt(at, 'text', `has a key with ${problem}, which cannot be stored`);
      stack.push({ node: child, depth: depth + 1, at: { key, parent: at } });
    }
  }
  return null;
}

interface PathLink {
  key: string | number;
  parent: PathLink | null;
}

interface Visit {
  node: unknown;
  depth: number;
  at: PathLink | null;
}

function faultAt(at: PathLink | null, reason: ShapeFault['reason'], message: string): ShapeFault {
  const path: (string | number)[] = [];
  for (let link = at; link; link = link.parent) path.unshift(link.key);
  return { path, reason, message };
}

/** Why Postgres cannot store `text` as given, or null when it can. */
export function textFault(text: string): string | null {
  if (text.includes('\u0000')) return 'a NUL character (\\u0000)';
  if (!text.isWellFormed()) return 'a broken UTF-16 surrogate';
  return null;
}

/**
 * Why `text` cannot be a name (of a data source, a column, a file): what Postgres cannot store,
 * and control characters (line breaks, tabs, …), which no label needs and logs would mangle.
 */
export function nameFault(text: string): string | null {
  return textFault(text) ?? (/\p{Cc}/u.test(text) ? 'a control character' : null);
}

/** How many keys of a path a message shows; a fault 64 levels down needs no 64-key path. */
export const MAX_PATH_KEYS = 8;

/** `$.a[0].b` for messages: the first MAX_PATH_KEYS keys (then `…`), long keys shortened. */
export function formatPath(path: readonly (string | number)[], root = '$'): string {
  const parts = path
    .slice(0, MAX_PATH_KEYS)
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${shortKey(key)}`));
  return `${root}${parts.join('')}${path.length > MAX_PATH_KEYS ? '…' : ''}`;
}

export function shortKey(key: string): string {
  return key.length > 40 ? `${key.slice(0, 40)}…` : key;
}

/**
 * A copy of a JSON value without its `__proto__` keys, at every level. JSON.parse makes such a
 * key an own property; copying it with an assignment (a merge, a spread into `{}`) would set
 * the target's prototype instead, so it is dropped before anyone copies it. Iterative, like
 * the checks above, though callers cap the depth first.
 */
export function withoutProtoKeys<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const root = emptyLike(value);
  const stack: { from: object; to: Container }[] = [{ from: value, to: root }];
  while (stack.length > 0) {
    const { from, to } = stack.pop()!;
    for (const [key, child] of Object.entries(from)) {
      if (key === '__proto__') continue;
      if (typeof child !== 'object' || child === null) {
        put(to, key, child);
        continue;
      }
      const copy = emptyLike(child);
      put(to, key, copy);
      stack.push({ from: child, to: copy });
    }
  }
  return root as T;
}

type Container = unknown[] | Record<string, unknown>;

function emptyLike(value: object): Container {
  return Array.isArray(value) ? [] : {};
}

function put(container: Container, key: string, value: unknown): void {
  if (Array.isArray(container)) container[Number(key)] = value;
  else container[key] = value;
}

function isJsonScalar(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return value === null || typeof value === 'boolean';
}

/** An object of no class: what JSON objects are made of. */
export function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function kindOf(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}
