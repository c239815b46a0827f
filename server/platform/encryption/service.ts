import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { and, eq } from 'drizzle-orm';
import { z } from 'zod';

import type { Db } from '../../db/client';
import { appKeys } from '../../db/schema';
import { AppError } from '../../errors';
import { jsonShape } from '../datasources/validate';

/**
 * Authenticated encryption of JSON values with a key of the app's own (AES-256-GCM).
 *
 * Token format, version 1: `v1.<iv>.<ciphertext>.<tag>`, each part base64url without padding;
 * iv is 12 random bytes, tag 16 bytes. The plaintext is the value's JSON, so a string comes
 * back as a string and an object as an object. The additional data binds a token to its app
 * and version: `app-actions/encryption/v1/app/<appId>`. A later format gets a new prefix and
 * this code keeps reading `v1`.
 *
 * Keys are 32 random bytes made on first use and stored in `app_keys` as they are: anyone who
 * can read that table can decrypt the app's tokens, so the database is the secret to guard.
 */

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const PURPOSE = 'encryption';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Plaintext JSON; host calls carry at most 1 MB anyway. */
export const MAX_PLAINTEXT_CHARS = 1024 * 1024;

// Checked without recursion (a deep value must not overflow the stack) and capped in depth
// like other JSON from actions; the text is not stored, so it may hold any character.
export const plaintextSchema = z
  .unknown()
  .superRefine(jsonShape({ jsonOnly: true, text: false }))
  .refine((value) => value !== null, 'nothing to encrypt');
export const tokenSchema = z.string().max(4 * MAX_PLAINTEXT_CHARS, 'is too long to be a token');

const notOurs = (appId: number) =>
  new AppError(
    'BAD_REQUEST',
    'Encryption.decrypt: the token was altered, or was not encrypted by this app ' +
      `(app ${appId}); it cannot be decrypted`,
  );

export async function encryptValue(db: Db, appId: number, value: unknown): Promise<string> {
  const json = JSON.stringify(value);
  if (json === undefined || json.length > MAX_PLAINTEXT_CHARS) {
    const limit = `a JSON value of at most ${MAX_PLAINTEXT_CHARS} characters`;
    throw new AppError('BAD_REQUEST', `Encryption.encrypt: expected ${limit}`);
  }
  const key = await appKey(db, appId, { create: true });
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(additionalData(appId));
  const ciphertext = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'));
  return [VERSION, ...parts].join('.');
}

export async function decryptToken(db: Db, appId: number, token: string): Promise<unknown> {
  const [version, ...parts] = token.split('.');
  if (version !== VERSION) {
    const what = /^v\d+$/.test(version ?? '')
      ? `token version ${version} is not supported`
      : 'not a token made by Encryption.encrypt';
    throw new AppError('BAD_REQUEST', `Encryption.decrypt: ${what}`);
  }
  const [iv, ciphertext, tag] = parts.map((part) => decodePart(part));
  const wellFormed = parts.length === 3 && iv?.length === IV_BYTES && tag?.length === TAG_BYTES;
  if (!wellFormed || !iv || !ciphertext || !tag) {
    const expected = `expected ${VERSION}.<iv>.<ciphertext>.<tag>`;
    throw new AppError('BAD_REQUEST', `Encryption.decrypt: the token is malformed (${expected})`);
  }
  const key = await appKey(db, appId, { create: false });
  if (!key) throw notOurs(appId);
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(appId));
  decipher.setAuthTag(tag);
  let json: string;
  try {
    json = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new AppError('BAD_REQUEST', notOurs(appId).message, { cause: error });
  }
  return JSON.parse(json);
}

function additionalData(appId: number): Buffer {
  return Buffer.from(`app-actions/encryption/${VERSION}/app/${appId}`, 'utf8');
}

/** Undefined when the part is not canonical base64url, so any edit to a token is caught. */
function decodePart(part: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

type KeyOptions = { create: boolean };

async function appKey(db: Db, appId: number, options: { create: true }): Promise<Buffer>;
async function appKey(db: Db, appId: number, options: KeyOptions): Promise<Buffer | undefined>;
async function appKey(db: Db, appId: number, options: KeyOptions): Promise<Buffer | undefined> {
  const where = and(eq(appKeys.appId, appId), eq(appKeys.purpose, PURPOSE));
  const [existing] = await db.select({ key: appKeys.key }).from(appKeys).where(where);
  if (existing) return Buffer.from(existing.key, 'base64');
  if (!options.create) return undefined;
  // Two first uses at once: one insert wins, and both read the winner's key.
  const fresh = randomBytes(KEY_BYTES).toString('base64');
  await db.insert(appKeys).values({ appId, purpose: PURPOSE, key: fresh }).onConflictDoNothing();
  const [stored] = await db.select({ key: appKeys.key }).from(appKeys).where(where);
  if (!stored) throw new Error(`the encryption key of app ${appId} could not be stored`);
  return Buffer.from(stored.key, 'base64');
}
