import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createPlatformTestDatabase,
  runAction,
  type PlatformTestDatabase,
} from '../../test/platform-scope';
import { createBridge } from './registry';
import type { PlatformScope } from './types';

let test: PlatformTestDatabase;
let scope: PlatformScope;

beforeAll(async () => {
  test = await createPlatformTestDatabase();
  scope = await test.newScope();
});

afterAll(async () => {
  await test?.drop();
});

describe('[PACKAGES]: browser-only packages on the server', () => {
  it.each([
    [
      'fliplet-barcode',
      'Barcode',
      'scan',
      'scanning needs the camera of the device running the app',
    ],
    [
      'fliplet-audio',
      'Audio',
      'record',
      'recording and playback need the speaker and microphone of a device',
    ],
  ])('%s fails with the reason on first use', async (name, namespace, method, reason) => {
    const code = `async function execute() {
      const exists = typeof Fliplet.${namespace} === 'object';
      try {
        await Fliplet.${namespace}.${method}();
        return 'no error';
      } catch (error) {
        return { exists, message: error.message };
      }
    }`;
    const outcome = await runAction(scope, code, [name]);
    expect(outcome.ok && outcome.result).toEqual({
      exists: true,
      message: `${name} is not available in server actions: ${reason}`,
    });
  });

  it('gives their namespaces no host methods', async () => {
    const bridge = createBridge(scope, ['fliplet-barcode', 'fliplet-audio']);
    const signal = new AbortController().signal;
    const call = { namespace: 'Barcode', method: 'scan', args: [] };
    await expect(bridge(call, signal)).rejects.toThrow('Fliplet.Barcode.scan is not available');
  });
});
