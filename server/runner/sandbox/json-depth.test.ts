import { describe, expect, it } from 'vitest';

import { jsonNestsDeeperThan } from './json-depth';

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('[sandbox] JSON nesting depth', () => {
  it('counts objects and arrays, the outermost as level 1', () => {
    expect(jsonNestsDeeperThan('1', 0)).toBe(false);
    expect(jsonNestsDeeperThan('[]', 0)).toBe(true);
    expect(jsonNestsDeeperThan('[]', 1)).toBe(false);
    expect(jsonNestsDeeperThan('[{"a":[1]},{"b":2}]', 3)).toBe(false);
    expect(jsonNestsDeeperThan('[{"a":[1]},{"b":2}]', 2)).toBe(true);
    expect(jsonNestsDeeperThan(nested(128), 128)).toBe(false);
    expect(jsonNestsDeeperThan(nested(129), 128)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const tricky = JSON.stringify({ a: '[[[{{{', b: 'say \\"[[[', c: '\\', d: ['"]]]"'] });
    expect(jsonNestsDeeperThan(tricky, 2)).toBe(false);
    expect(jsonNestsDeeperThan(tricky, 1)).toBe(true);
    expect(jsonNestsDeeperThan(JSON.stringify(['\\', '[[[']), 1)).toBe(false);
  });

  it('reads a million levels without a stack overflow, and stops early', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(jsonNestsDeeperThan(deep, 64)).toBe(true);
    expect(jsonNestsDeeperThan(deep, 1_000_000)).toBe(false);
  });
});
