import { describe, expect, it } from 'vitest';

import { AppError } from '../errors';
import { checkPayload, MAX_PAYLOAD_DEPTH, parsePayloadText } from './payload';

function statusOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof AppError ? error.status : 'not an AppError';
  }
}

function nested(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 1; i < levels; i += 1) {
    const child: Record<string, unknown> = {};
    node.a = child;
    node = child;
  }
  return root;
}

describe('run payloads', () => {
  it.each([
    ['an array', [1, 2], 'PAYLOAD_INVALID'],
    ['a string', 'hello', 'PAYLOAD_INVALID'],
    ['a NUL character in a value', { a: 'x\u0000y' }, 'PAYLOAD_INVALID'],
    ['a lone surrogate in a value', { a: '\ud800' }, 'PAYLOAD_INVALID'],
    ['a lone surrogate in a key', { ['\udc00']: 1 }, 'PAYLOAD_INVALID'],
    ['a NUL character deep inside', { a: [{ b: '\u0000' }] }, 'PAYLOAD_INVALID'],
    ['nesting past the cap', nested(MAX_PAYLOAD_DEPTH + 1), 'PAYLOAD_INVALID'],
    ['100,000 levels of nesting, without overflowing the stack', nested(100_000), 'PAYLOAD_INVALID'],
    ['more bytes than allowed', { a: 'x'.repeat(200) }, 'PAYLOAD_TOO_LARGE'],
  ])('refuses %s', (_label, payload, status) => {
    expect(statusOf(() => checkPayload(payload, 100))).toBe(status);
  });

  it('accepts a payload at the nesting cap, with any valid Unicode, and treats nothing as {}', () => {
    expect(statusOf(() => checkPayload(nested(MAX_PAYLOAD_DEPTH), 10_000))).toBeNull();
    expect(checkPayload({ emoji: '🙂', accents: 'é' }, 1000)).toEqual({ emoji: '🙂', accents: 'é' });
    expect(checkPayload(undefined, 10)).toEqual({});
    expect(checkPayload(null, 10)).toEqual({});
  });

  it('drops __proto__ keys at every level, inside arrays too, and pollutes nothing', () => {
    const text =
      '{"__proto__":{"a":1},"b":{"__proto__":{"c":1},"d":[{"__proto__":{"e":1},"f":2}]}}';
    const checked = parsePayloadText(text, 1000);
    expect(JSON.stringify(checked)).toBe('{"b":{"d":[{"f":2}]}}');
    const nested = checked.b as { d: object[] };
    for (const value of [checked, nested, nested.d[0]]) {
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.hasOwn(value ?? {}, '__proto__')).toBe(false);
    }
    expect(Array.isArray(nested.d)).toBe(true);
    expect(({} as Record<string, unknown>).c).toBeUndefined();
    // The caller's own object is left as it was (a browser passes its own payload).
    const given = JSON.parse(text) as Record<string, unknown>;
    checkPayload(given, 1000);
    expect(Object.hasOwn(given, '__proto__')).toBe(true);
  });

  it('parses request bodies: empty is {}, bad JSON and escaped NULs are refused', () => {
    expect(parsePayloadText('', 100)).toEqual({});
    expect(statusOf(() => parsePayloadText('{"a":', 100))).toBe('PAYLOAD_INVALID');
    expect(statusOf(() => parsePayloadText('{"a":"\\u0000"}', 100))).toBe('PAYLOAD_INVALID');
    expect(statusOf(() => parsePayloadText('{"a":"\\ud800"}', 100))).toBe('PAYLOAD_INVALID');
  });
});
