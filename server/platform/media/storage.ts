import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { dataDir } from '../../env';

/**
 * Where media bytes live: `DATA_DIR/media/<appId>/<uuid>`. Keys are made here from ids only,
 * never from names a user typed, and every key is resolved and checked to stay inside the
 * media folder before it is touched, so a bad key stored by mistake still cannot escape it.
 */

export function mediaRoot(): string {
  return path.join(dataDir(), 'media');
}

export function newStorageKey(appId: number): string {
  return `${appId}/${randomUUID()}`;
}

/** The absolute path of a key, or an error if it would leave the media folder. */
export function resolveKey(root: string, key: string): string {
  const base = path.resolve(root);
  const full = path.resolve(base, key);
  if (!full.startsWith(base + path.sep)) {
    throw new Error(`media storage key escapes the media folder: ${JSON.stringify(key)}`);
  }
  return full;
}

export async function writeMedia(root: string, key: string, bytes: Buffer): Promise<void> {
  const file = resolveKey(root, key);
  await mkdir(path.dirname(file), { recursive: true });
  // `wx`: a fresh key never names an existing file; if it somehow does, nothing is overwritten.
  await writeFile(file, bytes, { flag: 'wx' });
}

export function readMedia(root: string, key: string): Promise<Buffer> {
  return readFile(resolveKey(root, key));
}

export async function removeMedia(root: string, key: string): Promise<void> {
  await rm(resolveKey(root, key), { force: true });
}
