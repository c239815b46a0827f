import { describe, expect, it } from 'vitest';

import type { ConsoleLine } from '../runner/sandbox/types';
import { REPLACED_TEXT_NOTE, storableJson, storableRunLog, storableText } from './storable';

const FFFD = '\uFFFD';

describe('[runs] storable text', () => {
  it('replaces NUL and lone surrogates, and keeps valid pairs', () => {
    expect(storableText('a\u0000b')).toBe(`a${FFFD}b`);
    expect(storableText('\ud800')).toBe(FFFD);
    expect(storableText('x\udc00y')).toBe(`x${FFFD}y`);
    expect(storableText('\udc00\ud800')).toBe(FFFD + FFFD);
    expect(storableText('😀 \ud83d\ude00')).toBe('😀 😀');
    expect(storableText('\ud83d\ude00\ud83d')).toBe(`😀${FFFD}`);
    expect(storableText('plain')).toBe('plain');
  });

  it('replaces in every string and key, and returns the same value when nothing is wrong', () => {
    const clean = { a: ['x', 1, null, true], b: { c: '😀' } };
    expect(storableJson(clean)).toEqual({ value: clean, replaced: false });
    expect(storableJson(clean).value).toBe(clean);

    const dirty = { 'k\u0000': ['ok', 'bad\ud800', { 'x\udfff': 'v\u0000' }], n: 2 };
    const stored = storableJson(dirty);
    expect(stored.replaced).toBe(true);
    expect(stored.value).toEqual({ [`k${FFFD}`]: ['ok', `bad${FFFD}`, { [`x${FFFD}`]: `v${FFFD}` }], n: 2 });
    // The original is left as it was.
    expect(Object.keys(dirty)).toEqual(['k\u0000', 'n']);
    expect(storableJson('\u0000')).toEqual({ value: FFFD, replaced: true });
  });

  it('keeps a "__proto__" key as data, not as a prototype', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":"a\\u0000"},"s":"\\u0000"}') as unknown;
    const { value } = storableJson(parsed);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__', 's']);
    expect(JSON.stringify(value)).toBe(`{"__proto__":{"polluted":"a${FFFD}"},"s":"${FFFD}"}`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('walks very deep values without a stack overflow', () => {
    const depth = 100_000;
    const deep = JSON.parse('{"a":'.repeat(depth) + '"\\u0000"' + '}'.repeat(depth)) as unknown;
    const { value, replaced } = storableJson(deep);
    expect(replaced).toBe(true);
    let node = value as { a: unknown };
    for (let i = 0; i < depth - 1; i += 1) node = node.a as { a: unknown };
    expect(node.a).toBe(FFFD);
    const clean = JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;
    expect(storableJson(clean).replaced).toBe(false);
  });

  it('adds a warn line to the console when anything of the run log was replaced', () => {
    const lines: ConsoleLine[] = [{ level: 'log', message: 'fine', at: 1 }];
    expect(storableRunLog({ result: 'ok' }, lines, 5)).toEqual({
      data: { result: 'ok' },
      console: lines,
    });
    const note = { level: 'warn', message: REPLACED_TEXT_NOTE, at: 5 };
    expect(storableRunLog({ result: 'a\u0000' }, lines, 5)).toEqual({
      data: { result: `a${FFFD}` },
      console: [...lines, note],
    });
    const noisy: ConsoleLine[] = [{ level: 'error', message: '\ud800', at: 2 }];
    expect(storableRunLog({}, noisy, 7).console).toEqual([
      { level: 'error', message: FFFD, at: 2 },
      { ...note, at: 7 },
    ]);
  });
});
