import { z } from 'zod';

import { actorOf, hostMethod } from '../communicate/host-method';
import type { HostMethod, PlatformPackage, PlatformScope } from '../types';
import {
  createFolderSchema,
  folderQuerySchema,
  mediaIdSchema,
  readOptionsSchema,
  uploadSchema,
} from './schemas';
import {
  createFolder,
  getFile,
  getFolderContents,
  readFileContents,
  uploadFile,
} from './service';
import { mediaRoot } from './storage';

/**
 * `Fliplet.Media` inside the sandbox. The isolate has no Blob, FormData or file system, so
 * `Files.upload` takes the content as a string (text or base64) instead of a Blob.
 */
const shim = `(function (hostCall) {
  'use strict';
  const call = (method, args) => hostCall('Media', method, args);
  const orNull = (value) => (value === undefined ? null : value);
  Fliplet.Media = Object.freeze({
    Folders: Object.freeze({
      get: (options) => call('Folders.get', [orNull(options)]),
      create: (options) => call('Folders.create', [options]),
    }),
    Files: Object.freeze({
      get: (id) => call('Files.get', [id]),
      upload: (options) => call('Files.upload', [options]),
      read: (id, options) => call('Files.read', [id, orNull(options)]),
    }),
  });
})(__hostCall);
`;

export const mediaPackage: PlatformPackage = {
  name: 'fliplet-media',
  namespace: 'Media',
  shim,
  host: hostMethods,
};

function hostMethods(scope: PlatformScope): Record<string, HostMethod> {
  const { db, appId } = scope;
  const actor = actorOf(scope);
  const folderQuery = folderQuerySchema.nullable().transform((query) => query ?? {});
  const readOptions = readOptionsSchema.nullable().transform((options) => options ?? {});
  return {
    'Folders.get': hostMethod('Media.Folders.get', ['options'], z.tuple([folderQuery]), ([query]) =>
      getFolderContents(db, appId, query),
    ),
    'Folders.create': hostMethod(
      'Media.Folders.create',
      ['options'],
      z.tuple([createFolderSchema]),
      ([options]) => createFolder(db, actor, options),
    ),
    'Files.get': hostMethod('Media.Files.get', ['id'], z.tuple([mediaIdSchema]), ([id]) =>
      getFile(db, appId, id),
    ),
    'Files.upload': hostMethod(
      'Media.Files.upload',
      ['options'],
      z.tuple([uploadSchema]),
      ([options]) => uploadFile(db, actor, options, mediaRoot()),
    ),
    'Files.read': hostMethod(
      'Media.Files.read',
      ['id', 'options'],
      z.tuple([mediaIdSchema, readOptions]),
      ([id, options]) => readFileContents(db, appId, id, options, mediaRoot()),
    ),
  };
}
