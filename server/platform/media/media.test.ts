import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  callHost,
  createPlatformTestDatabase,
  resultOf,
  runAction,
  type PlatformTestDatabase,
} from '../../../test/platform-scope';
import { mediaFiles } from '../../db/schema';
import { isAppError } from '../../errors';
import type { PlatformScope } from '../types';
import { mediaPackage } from './package';
import { MAX_FILE_BYTES } from './schemas';
import type { MediaFile, MediaFolder } from './service';
import { mediaRoot, resolveKey } from './storage';

let test: PlatformTestDatabase;
let scope: PlatformScope;
let other: PlatformScope;
let sandboxDir: string;
let dataDir: string;

beforeAll(async () => {
  // DATA_DIR sits one level inside a temporary folder, so a file that escaped it would show.
  sandboxDir = await mkdtemp(path.join(os.tmpdir(), 'media-test-'));
  dataDir = path.join(sandboxDir, 'data');
  process.env.DATA_DIR = dataDir;
  test = await createPlatformTestDatabase();
  scope = await test.newScope();
  other = await test.newScope();
});

afterAll(async () => {
  await test?.drop();
  if (sandboxDir) await rm(sandboxDir, { recursive: true, force: true });
});

const call = (method: string, args: unknown[], as = scope) =>
  callHost(mediaPackage, as, method, args);

async function createFolder(name: string, parentId?: number, as = scope): Promise<MediaFolder> {
  const folder: unknown = await call('Folders.create', [{ name, parentId }], as);
  return folder as MediaFolder;
}

async function upload(options: Record<string, unknown>, as = scope): Promise<MediaFile> {
  const file: unknown = await call('Files.upload', [options], as);
  return file as MediaFile;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return `${error.status}: ${error.message}`;
}

/** Every file under a folder, relative to it. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('[MEDIA]: folders and files', () => {
  it('stores files under DATA_DIR/media/<appId>', () => {
    expect(mediaRoot()).toBe(path.join(path.resolve(dataDir), 'media'));
  });

  it('creates folders, uploads text and base64, lists and reads them back', async () => {
    const reports = await createFolder('Reports');
    const monthly = await createFolder('Monthly', reports.id);
    expect(monthly).toMatchObject({ parentId: reports.id, name: 'Monthly', appId: scope.appId });

    const text = await upload({ folderId: reports.id, name: 'notes.txt', data: 'héllo' });
    expect(text).toMatchObject({
      folderId: reports.id,
      contentType: 'text/plain; charset=utf-8',
      size: Buffer.byteLength('héllo'),
    });
    const url = `/v3/apps/${scope.appId}/media/files/${text.id}/contents`;
    expect(text.url.endsWith(url)).toBe(true);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const image = await upload({
      folderId: String(reports.id),
      name: 'pixel.png',
      data: png.toString('base64'),
      encoding: 'base64',
    });
    expect(image).toMatchObject({ contentType: 'image/png', size: png.length });

    expect(await call('Folders.get', [{ folderId: reports.id }])).toEqual({
      folders: [monthly],
      files: [text, image],
    });
    const top: unknown = await call('Folders.get', [null]);
    expect(top).toMatchObject({ folders: [reports], files: [] });
    expect(await call('Files.get', [text.id])).toEqual(text);
    expect(await call('Files.read', [image.id, null])).toMatchObject({
      encoding: 'base64',
      data: png.toString('base64'),
    });
    expect(await call('Files.read', [text.id, { encoding: 'text' }])).toMatchObject({
      data: 'héllo',
    });
  });

  it('writes bytes only as <appId>/<uuid> and logs mediaFile.create', async () => {
    const file = await upload({ name: 'top-level.csv', data: 'a,b\n1,2' });
    const [row] = await test.db.select().from(mediaFiles).where(eq(mediaFiles.id, file.id));
    expect(row?.storageKey).toMatch(new RegExp(`^${scope.appId}/[0-9a-f-]{36}$`));
    const bytes = await readFile(path.join(mediaRoot(), row?.storageKey ?? ''), 'utf8');
    expect(bytes).toBe('a,b\n1,2');
    const events = await test.appLogsOf(scope.appId);
    expect(events.find((event) => event.data.mediaFileId === file.id)).toMatchObject({
      type: 'mediaFile.create',
      data: { name: 'top-level.csv', folderId: null, size: 7 },
    });
  });
});

describe('[MEDIA]: refusals', () => {
  it('refuses names that look like paths', async () => {
    const names = ['../../evil.txt', '..', '.', 'a/b', 'a\\b', 'nul\u0000byte', 'tab\tname'];
    // A lone surrogate would be stored as U+FFFD, so it is refused too.
    names.push('x\ud800');
    for (const name of names) {
      expect(await failure(upload({ name, data: 'x' }))).toMatch(/^BAD_REQUEST: .*options\.name/);
      expect(await failure(createFolder(name))).toMatch(/^BAD_REQUEST: .*options\.name/);
    }
  });

  it("treats another app's folders and files as missing", async () => {
    const theirs = await createFolder('Private', undefined, other);
    const theirFile = await upload({ folderId: theirs.id, name: 'secret.txt', data: 's' }, other);
    expect(await failure(call('Folders.get', [{ folderId: theirs.id }]))).toBe(
      `NOT_FOUND: Media folder ${theirs.id} not found`,
    );
    expect(await failure(upload({ folderId: theirs.id, name: 'x.txt', data: 'x' }))).toContain(
      'NOT_FOUND',
    );
    expect(await failure(createFolder('Sub', theirs.id))).toContain('NOT_FOUND');
    expect(await failure(call('Files.get', [theirFile.id]))).toContain('NOT_FOUND');
    expect(await failure(call('Files.read', [theirFile.id, null]))).toContain('NOT_FOUND');
  });

  it('refuses bad ids, bad base64 and files over the cap', async () => {
    expect(await failure(call('Files.get', ['../1']))).toContain('expected a positive integer id');
    expect(await failure(call('Files.get', [-1]))).toContain('id');
    const bad = { name: 'x.bin', data: 'not base64!', encoding: 'base64' };
    expect(await failure(upload(bad))).toContain('not valid base64');
    const huge = Buffer.alloc(MAX_FILE_BYTES + 1).toString('base64');
    expect(await failure(upload({ name: 'big.bin', data: huge, encoding: 'base64' }))).toContain(
      'PAYLOAD_TOO_LARGE',
    );
    expect(await failure(upload({ name: 'x.txt', data: 'x', contentType: 'a\r\nb: c' }))).toContain(
      'contentType',
    );
  });

  it('will not resolve a storage key outside the media folder', () => {
    for (const key of ['../escape', '1/../../escape', '/etc/passwd', '', '.']) {
      expect(() => resolveKey(mediaRoot(), key)).toThrow(/escapes the media folder/);
    }
  });

  it('kept every byte inside the media folder, in folders named after app ids', async () => {
    const files = await filesUnder(sandboxDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const apps = `(${scope.appId}|${other.appId})`;
      expect(file).toMatch(new RegExp(`^data/media/${apps}/[0-9a-f-]{36}$`));
    }
  });
});

describe('[MEDIA]: inside an action', () => {
  it('uploads with a string body and lists the folder', async () => {
    const code = `async function execute() {
      const folder = await Fliplet.Media.Folders.create({ name: 'From action' });
      const file = await Fliplet.Media.Files.upload({
        folderId: folder.id, name: 'hello.json', data: '{"hi":1}', contentType: 'application/json',
      });
      const listing = await Fliplet.Media.Folders.get({ folderId: folder.id });
      const metadata = await Fliplet.Media.Files.get(file.id);
      return { names: listing.files.map((f) => f.name), type: metadata.contentType };
    }`;
    expect(resultOf(await runAction(scope, code, ['fliplet-media']))).toEqual({
      names: ['hello.json'],
      type: 'application/json',
    });
  });
});
