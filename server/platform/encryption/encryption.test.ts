import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  callHost,
  createPlatformTestDatabase,
  resultOf,
  runAction,
  type PlatformTestDatabase,
} from '../../../test/platform-scope';
import { appKeys } from '../../db/schema';
import { isAppError } from '../../errors';
import type { PlatformScope } from '../types';
import { encryptionPackage } from './package';
import { decryptToken, encryptValue } from './service';

let test: PlatformTestDatabase;
let scope: PlatformScope;
let other: PlatformScope;

beforeAll(async () => {
  test = await createPlatformTestDatabase();
  scope = await test.newScope();
  other = await test.newScope();
});

afterAll(async () => {
  await test?.drop();
});

const encrypt = (value: unknown, as = scope) => callHost(encryptionPackage, as, 'encrypt', [value]);
const decrypt = (token: unknown, as = scope) => callHost(encryptionPackage, as, 'decrypt', [token]);

async function failure(promise: Promise<unknown>): Promise<{ status: string; message: string }> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return { status: error.status, message: error.message };
}

/** Changes one base64url character of a token part, keeping the token well-formed. */
function flip(token: string, part: 1 | 2 | 3): string {
  const parts = token.split('.');
  const text = parts[part] ?? '';
  const bytes = Buffer.from(text, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('[ENCRYPTION]: round trips', () => {
  it('gives back strings, objects, numbers and arrays as they went in', async () => {
    for (const value of ['secret', { card: '4111', nested: { ok: true } }, 42, [1, 'two'], '']) {
      const token = await encrypt(value);
      expect(typeof token).toBe('string');
      expect(await decrypt(token)).toEqual(value);
    }
  });

  it('writes versioned tokens with a fresh IV each time', async () => {
    const first = await encrypt('same');
    const second = await encrypt('same');
    expect(first).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(first).not.toBe(second);
  });

  it('makes one 32-byte key per app on first use, even when calls race', async () => {
    const fresh = await test.newScope();
    const tokens = await Promise.all(
      Array.from({ length: 5 }, (_, n) => encryptValue(fresh.db, fresh.appId, n)),
    );
    const keys = await test.db.select().from(appKeys).where(eq(appKeys.appId, fresh.appId));
    expect(keys).toHaveLength(1);
    expect(Buffer.from(keys[0]?.key ?? '', 'base64')).toHaveLength(32);
    for (const [n, token] of tokens.entries()) {
      expect(await decryptToken(fresh.db, fresh.appId, token)).toBe(n);
    }
  });
});

describe('[ENCRYPTION]: refusals', () => {
  it('detects a changed IV, ciphertext or tag', async () => {
    const token = String(await encrypt({ amount: 100 }));
    for (const part of [1, 2, 3] as const) {
      const { status, message } = await failure(decrypt(flip(token, part)));
      expect(status).toBe('BAD_REQUEST');
      expect(message).toContain('the token was altered');
    }
  });

  it("will not decrypt another app's token, nor create a key to try", async () => {
    const token = await encrypt('only mine');
    const { message } = await failure(decrypt(token, other));
    expect(message).toContain(`not encrypted by this app (app ${other.appId})`);
    const keys = await test.db.select().from(appKeys).where(eq(appKeys.appId, other.appId));
    expect(keys).toHaveLength(0);
    await encrypt('now other has a key', other);
    expect((await failure(decrypt(token, other))).message).toContain('the token was altered');
  });

  it('explains malformed tokens and unknown versions', async () => {
    const token = String(await encrypt('x'));
    expect((await failure(decrypt('hello'))).message).toContain('not a token made by');
    expect((await failure(decrypt(token.replace(/^v1/, 'v2')))).message).toContain(
      'token version v2 is not supported',
    );
    expect((await failure(decrypt(token.split('.').slice(0, 3).join('.')))).message).toContain(
      'malformed',
    );
    // A padding character is not canonical base64url: refused rather than ignored.
    expect((await failure(decrypt(`${token}=`))).message).toContain('malformed');
    expect((await failure(decrypt(42))).message).toContain('Encryption.decrypt: token');
  });

  it('refuses to encrypt nothing', async () => {
    expect((await failure(encrypt(undefined))).message).toContain('nothing to encrypt');
  });

  it('refuses a value nested past 64 levels instead of overflowing the stack', async () => {
    // Parsed, as a host call's arguments are (callHost's JSON.stringify would overflow first).
    const deep: unknown = JSON.parse(`${'['.repeat(5000)}"core"${']'.repeat(5000)}`);
    const { encrypt: method } = encryptionPackage.host(scope);
    if (!method) throw new Error('no encrypt method');
    expect(await failure(method([deep], new AbortController().signal))).toEqual({
      status: 'BAD_REQUEST',
      message: 'Encryption.encrypt: value.0.0.0.0.0.0.0.0: … is nested deeper than 64 levels',
    });
    // Text is not stored, so any character round-trips, NUL and lone surrogates included.
    const odd = { text: 'nul \u0000, lone \ud800' };
    expect(await decrypt(await encrypt(odd))).toEqual(odd);
  });
});

describe('[ENCRYPTION]: inside an action', () => {
  it('encrypts and decrypts through Fliplet.Encryption', async () => {
    const code = `async function execute() {
      const token = await Fliplet.Encryption.encrypt({ pin: '1234' });
      let tampered;
      try {
        // The tag's first character: all of its bits count (the last one's do not all).
        const [version, iv, data, tag] = token.split('.');
        const altered = (tag[0] === 'A' ? 'B' : 'A') + tag.slice(1);
        await Fliplet.Encryption.decrypt([version, iv, data, altered].join('.'));
      } catch (error) {
        tampered = error.message;
      }
      return { back: await Fliplet.Encryption.decrypt(token), tampered };
    }`;
    const result = resultOf(await runAction(scope, code, ['fliplet-encryption']));
    expect(result).toEqual({
      back: { pin: '1234' },
      tampered: expect.stringContaining('the token was altered'),
    });
  });
});
