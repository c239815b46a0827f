import { describe, expect, it } from 'vitest';

import { createLimiter } from './limiter';

describe('[FETCH]: limiter', () => {
  it('runs tasks in order, at most max at once, and drops aborted waiters', async () => {
    const limit = createLimiter(1);
    const order: string[] = [];
    let finishFirst: () => void = () => {};
    const free = new AbortController().signal;
    const first = limit(free, () => new Promise<void>((resolve) => (finishFirst = resolve)));
    const leaving = new AbortController();
    const aborted = limit(leaving.signal, async () => void order.push('aborted ran'));
    const second = limit(free, async () => void order.push('second'));
    leaving.abort(new Error('run ended'));
    await expect(aborted).rejects.toThrow('run ended');
    finishFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['second']);
    await expect(limit(leaving.signal, async () => 1)).rejects.toThrow('run ended');
  });
});
