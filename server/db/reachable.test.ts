import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { privateFolderOnPath } from './reachable';

const root = mkdtempSync(path.join(tmpdir(), 'reachable-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('privateFolderOnPath', () => {
  it('names the first folder others cannot pass through, and nothing when all can', () => {
    chmodSync(root, 0o755);
    const open = path.join(root, 'open', 'data');
    mkdirSync(open, { recursive: true });
    expect(privateFolderOnPath(open)).toBeUndefined();
    // Not created yet: what exists on the way decides.
    expect(privateFolderOnPath(path.join(open, 'pg', 'later'))).toBeUndefined();

    const closed = path.join(root, 'closed');
    mkdirSync(path.join(closed, 'inside'), { recursive: true });
    chmodSync(closed, 0o700);
    expect(privateFolderOnPath(path.join(closed, 'inside'))).toBe(closed);
    chmodSync(root, 0o700);
    expect(privateFolderOnPath(open)).toBe(root);
  });
});
