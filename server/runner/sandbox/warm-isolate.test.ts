import { describe, expect, it } from 'vitest';

import { executeInIsolate, warmNextIsolate } from './executor';
import { action, expectFailure, expectSuccess, recordingBridge, sandboxRequest } from './test-support';
import { takeSpareIsolate, warmSpareIsolate } from './warm-isolate';

const limits = { memoryMb: 64, timeoutMs: 400 };

describe('[sandbox] warm spare isolate', () => {
  it('is handed out once, only for the limits it was made with', async () => {
    warmSpareIsolate(limits, () => {});
    expect(await takeSpareIsolate({ ...limits, timeoutMs: 401 })).toBeUndefined();
    const spare = await takeSpareIsolate(limits);
    expect(spare).toBeDefined();
    // Fresh: the runtime is installed and nothing else ran in it.
    const seen = await spare?.context.eval('[typeof __hostCall, typeof execute].join()', {
      copy: true,
    });
    expect(seen).toBe('function,undefined');
    spare?.isolate.dispose();
    expect(await takeSpareIsolate(limits)).toBeUndefined();
  });

  it('serves the next run, which keeps its own limits and leaves nothing behind', async () => {
    const bridge = recordingBridge().bridge;
    warmNextIsolate(limits);
    const looping = sandboxRequest(action('globalThis.leak = 1; for (;;) {}'), limits);
    expect(expectFailure(await executeInIsolate(looping, bridge))).toMatchObject({
      limit: 'timeout',
    });
    // The spare went to that run.
    expect(await takeSpareIsolate(limits)).toBeUndefined();
    warmNextIsolate(limits);
    const probe = sandboxRequest(action('return typeof globalThis.leak;'), limits);
    expect(expectSuccess(await executeInIsolate(probe, bridge))).toBe('undefined');
  });
});
