import { describe, expect, it } from 'vitest';

import { findShapeFault } from './json-shape';

const depthOnly = (maxDepth: number) => ({ maxDepth, text: false });

describe('findShapeFault: nesting', () => {
  it('counts the value itself as level 1 and faults only past the cap', () => {
    expect(findShapeFault('text', depthOnly(0))).toBeNull();
    expect(findShapeFault({ a: [1, { b: 2 }] }, depthOnly(3))).toBeNull();
    expect(findShapeFault({ a: [1, { b: 2 }] }, depthOnly(2))).toMatchObject({
      reason: 'depth',
      path: ['a', 1],
    });
  });

  it('walks 200,000 levels without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)) as unknown;
    expect(findShapeFault(deep, depthOnly(1000))).toMatchObject({ reason: 'depth' });
    expect(findShapeFault(deep, depthOnly(200_000))).toBeNull();
  });
});
