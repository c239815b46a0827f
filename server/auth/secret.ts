import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { dataDir } from '../env';

const SECRET_FILE = 'auth-secret';
const MIN_LENGTH = 32;

/**
 * The key that signs session cookies: BETTER_AUTH_SECRET when set, else one generated on first
 * start and kept in DATA_DIR, so sessions survive restarts without any setup. Web processes on
 * several machines must share it: set BETTER_AUTH_SECRET there.
 */
export function authSecret(dir: string = dataDir()): string {
  const configured = process.env.BETTER_AUTH_SECRET;
  if (configured) {
    if (configured.length < MIN_LENGTH) {
      throw new Error(`BETTER_AUTH_SECRET must be at least ${MIN_LENGTH} characters long`);
    }
    return configured;
  }
  return readOrCreateSecret(path.join(dir, SECRET_FILE));
}

function readOrCreateSecret(file: string): string {
  const existing = readSecret(file);
  if (existing) return existing;
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // `wx` fails when another process created the file first; its secret then wins.
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (!isAlreadyThere(error)) throw error;
  }
  const created = readSecret(file);
  if (!created) throw new Error(`Could not read the session secret from ${file}`);
  return created;
}

function readSecret(file: string): string | null {
  try {
    const value = readFileSync(file, 'utf8').trim();
    return value.length >= MIN_LENGTH ? value : null;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
    throw error;
  }
}

function isAlreadyThere(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EEXIST';
}
