import { z } from 'zod';

import { hostMethod } from '../communicate/host-method';
import type { HostMethod, PlatformPackage, PlatformScope } from '../types';
import { decryptToken, encryptValue, plaintextSchema, tokenSchema } from './service';

/** `Fliplet.Encryption` inside the sandbox; keys never leave the host. */
const shim = `(function (hostCall) {
  'use strict';
  Fliplet.Encryption = Object.freeze({
    encrypt: (value) => hostCall('Encryption', 'encrypt', [value]),
    decrypt: (token) => hostCall('Encryption', 'decrypt', [token]),
  });
})(__hostCall);
`;

export const encryptionPackage: PlatformPackage = {
  name: 'fliplet-encryption',
  namespace: 'Encryption',
  shim,
  host: hostMethods,
};

function hostMethods(scope: PlatformScope): Record<string, HostMethod> {
  const { db, appId } = scope;
  return {
    encrypt: hostMethod('Encryption.encrypt', ['value'], z.tuple([plaintextSchema]), ([value]) =>
      encryptValue(db, appId, value),
    ),
    decrypt: hostMethod('Encryption.decrypt', ['token'], z.tuple([tokenSchema]), ([token]) =>
      decryptToken(db, appId, token),
    ),
  };
}
