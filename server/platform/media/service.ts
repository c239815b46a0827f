import { createHash } from 'node:crypto';

import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';

import type { Db } from '../../db/client';
import { mediaFiles, mediaFolders } from '../../db/schema';
import { publicUrl } from '../../env';
import { AppError } from '../../errors';
import { writeAppLog } from '../app-log';
import type { PackageActor } from '../communicate/host-method';
import { parseInput } from '../datasources/validate';
import {
  createFolderSchema,
  folderQuerySchema,
  guessContentType,
  MAX_FILE_BYTES,
  readOptionsSchema,
  uploadSchema,
  type CreateFolderInput,
  type FolderQuery,
  type ReadOptions,
  type UploadInput,
} from './schemas';
import { newStorageKey, readMedia, removeMedia, writeMedia } from './storage';

/**
 * Media folders and files of one app. A folder or file of another app is reported as not
 * found. Files are written to disk first and recorded (with their `mediaFile.create` app log
 * event) in one transaction after, so a row never points at bytes that were not written.
 */

export interface MediaFolder {
  id: number;
  appId: number;
  parentId: number | null;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface MediaFile {
  id: number;
  appId: number;
  folderId: number | null;
  name: string;
  contentType: string;
  size: number;
  /** Where the REST API serves the bytes (`GET …/media/files/:id/contents`, with a token). */
  url: string;
  createdAt: string;
  updatedAt: string;
}

type FolderRow = typeof mediaFolders.$inferSelect;
type FileRow = typeof mediaFiles.$inferSelect;

export async function getFolderContents(
  db: Db,
  appId: number,
  query: FolderQuery = {},
): Promise<{ folders: MediaFolder[]; files: MediaFile[] }> {
  const { folderId } = parseInput(folderQuerySchema, query, 'Media.Folders.get');
  const parent = folderId ? (await folderRow(db, appId, folderId)).id : null;
  const folders = await db
    .select()
    .from(mediaFolders)
    .where(and(eq(mediaFolders.appId, appId), childOf(mediaFolders.parentId, parent)))
    .orderBy(asc(mediaFolders.name), asc(mediaFolders.id));
  const files = await db
    .select()
    .from(mediaFiles)
    .where(and(eq(mediaFiles.appId, appId), childOf(mediaFiles.folderId, parent)))
    .orderBy(asc(mediaFiles.name), asc(mediaFiles.id));
  return { folders: folders.map(toFolder), files: files.map(toFile) };
}

export async function createFolder(
  db: Db,
  actor: PackageActor,
  input: CreateFolderInput,
): Promise<MediaFolder> {
  const { name, parentId } = parseInput(createFolderSchema, input, 'Media.Folders.create');
  const parent = parentId ? (await folderRow(db, actor.appId, parentId)).id : null;
  const [row] = await db
    .insert(mediaFolders)
    .values({ appId: actor.appId, parentId: parent, name })
    .returning();
  if (!row) throw new Error('media folder insert returned no row');
  return toFolder(row);
}

export async function uploadFile(
  db: Db,
  actor: PackageActor,
  input: UploadInput,
  root: string,
): Promise<MediaFile> {
  const upload = parseInput(uploadSchema, input, 'Media.Files.upload');
  const folderId = upload.folderId ? (await folderRow(db, actor.appId, upload.folderId)).id : null;
  const bytes = decode(upload.data, upload.encoding);
  const key = newStorageKey(actor.appId);
  await writeMedia(root, key, bytes);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(mediaFiles)
        .values({
          appId: actor.appId,
          folderId,
          name: upload.name,
          contentType: upload.contentType ?? guessContentType(upload.name, upload.encoding),
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          storageKey: key,
        })
        .returning();
      if (!row) throw new Error('media file insert returned no row');
      await writeAppLog(tx, {
        appId: actor.appId,
        organizationId: actor.organizationId,
        type: 'mediaFile.create',
        data: { mediaFileId: row.id, folderId, name: row.name, size: row.size },
        origin: actor.origin,
      });
      return toFile(row);
    });
  } catch (error) {
    await removeMedia(root, key);
    throw error;
  }
}

export async function getFile(db: Db, appId: number, id: number): Promise<MediaFile> {
  return toFile(await fileRow(db, appId, id));
}

/** A file's metadata with its content, as text or base64. */
export async function readFileContents(
  db: Db,
  appId: number,
  id: number,
  options: ReadOptions,
  root: string,
): Promise<MediaFile & { encoding: 'text' | 'base64'; data: string }> {
  const { encoding } = parseInput(readOptionsSchema, options, 'Media.Files.read');
  const { file, bytes } = await readFileBytes(db, appId, id, root);
  const data = encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8');
  return { ...file, encoding, data };
}

/** A file's metadata and its bytes as stored, for the route that serves them. */
export async function readFileBytes(
  db: Db,
  appId: number,
  id: number,
  root: string,
): Promise<{ file: MediaFile; bytes: Buffer }> {
  const row = await fileRow(db, appId, id);
  return { file: toFile(row), bytes: await readMedia(root, row.storageKey) };
}

function decode(data: string, encoding: 'text' | 'base64'): Buffer {
  // Buffer.from skips characters that are not base64, so bad input is caught before it.
  if (encoding === 'base64' && (data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data))) {
    throw new AppError('BAD_REQUEST', 'Media.Files.upload: data is not valid base64');
  }
  const bytes = Buffer.from(data, encoding === 'base64' ? 'base64' : 'utf8');
  if (bytes.length > MAX_FILE_BYTES) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `Media.Files.upload: a file can hold at most ${MAX_FILE_BYTES} bytes`,
    );
  }
  return bytes;
}

type ParentColumn = typeof mediaFolders.parentId | typeof mediaFiles.folderId;

function childOf(column: ParentColumn, parent: number | null): SQL {
  return parent === null ? isNull(column) : eq(column, parent);
}

async function folderRow(db: Db, appId: number, id: number): Promise<FolderRow> {
  const [row] = await db
    .select()
    .from(mediaFolders)
    .where(and(eq(mediaFolders.appId, appId), eq(mediaFolders.id, id)));
  if (!row) throw new AppError('NOT_FOUND', `Media folder ${id} not found`);
  return row;
}

async function fileRow(db: Db, appId: number, id: number): Promise<FileRow> {
  const [row] = await db
    .select()
    .from(mediaFiles)
    .where(and(eq(mediaFiles.appId, appId), eq(mediaFiles.id, id)));
  if (!row) throw new AppError('NOT_FOUND', `Media file ${id} not found`);
  return row;
}

function toFolder(row: FolderRow): MediaFolder {
  return {
    id: row.id,
    appId: row.appId,
    parentId: row.parentId,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toFile(row: FileRow): MediaFile {
  return {
    id: row.id,
    appId: row.appId,
    folderId: row.folderId,
    name: row.name,
    contentType: row.contentType,
    size: row.size,
    url: `${publicUrl()}/v3/apps/${row.appId}/media/files/${row.id}/contents`,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
