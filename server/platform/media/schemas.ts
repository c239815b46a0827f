import path from 'node:path';

import { z } from 'zod';

import { serialIdSchema } from '../../db/ids';
import { refineText } from '../datasources/validate';

/** Arguments of `Fliplet.Media`, checked on the host. */

/** Bytes of one file after decoding; host calls carry at most 1 MB of JSON before that. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

// Names are labels stored in the database, never parts of a path; they are still kept plain
// so that whatever later writes them out (zip exports, downloads) gets no surprises.
export const mediaNameSchema = z
  .string()
  .trim()
  .min(1, 'cannot be empty')
  .max(255)
  .refine((name) => !/[/\\\p{Cc}]/u.test(name), 'cannot contain slashes or control characters')
  .superRefine(refineText)
  .refine((name) => name !== '.' && name !== '..', 'cannot be "." or ".."');

const serialId = serialIdSchema;
/** An id as a number, or as digits (ids often come from a payload as text). */
const digits = z.string().regex(/^\d+$/).transform(Number).pipe(serialId);
export const mediaIdSchema = z.union([serialId, digits], {
  error: 'expected a positive integer id',
});

const contentTypeSchema = z
  .string()
  .max(255)
  .regex(/^[\w.+-]+\/[\w.+-]+(\s*;[^\r\n]*)?$/, 'expected a media type such as image/png');

export const encodingSchema = z.enum(['text', 'base64']);

export const folderQuerySchema = z.strictObject({ folderId: mediaIdSchema.nullish() });

export const createFolderSchema = z.strictObject({
  name: mediaNameSchema,
  parentId: mediaIdSchema.nullish(),
});

export const uploadSchema = z.strictObject({
  folderId: mediaIdSchema.nullish(),
  name: mediaNameSchema,
  /** The file's content: plain text, or base64 when `encoding` is `base64`. */
  data: z.string(),
  encoding: encodingSchema.default('text'),
  contentType: contentTypeSchema.optional(),
});

export const readOptionsSchema = z.strictObject({ encoding: encodingSchema.default('base64') });

export type FolderQuery = z.input<typeof folderQuerySchema>;
export type CreateFolderInput = z.input<typeof createFolderSchema>;
export type UploadInput = z.input<typeof uploadSchema>;
export type ReadOptions = z.input<typeof readOptionsSchema>;

const typesByExtension: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.html': 'text/html',
};

/** A media type from the file name when the caller gave none. */
export function guessContentType(name: string, encoding: 'text' | 'base64'): string {
  const known = typesByExtension[path.extname(name).toLowerCase()];
  if (known && encoding === 'text' && known.startsWith('text/')) return `${known}; charset=utf-8`;
  if (known) return known;
  return encoding === 'text' ? 'text/plain; charset=utf-8' : 'application/octet-stream';
}
