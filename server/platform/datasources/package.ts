import { z } from 'zod';

import { AppError } from '../../errors';
import type { HostMethod, PlatformPackage, PlatformScope } from '../types';
import { findQuerySchema } from './query';
import {
  commitEntries,
  commitSchema,
  createDataSource,
  createDataSourceSchema,
  entryDataSchema,
  findById,
  findEntries,
  findOne,
  getDataSource,
  getDataSourceByName,
  insertEntry,
  listDataSources,
  removeEntry,
  rowIdSchema,
  updateEntry,
  type DataSourceScope,
} from './service';
import { parseInput } from './validate';

/**
 * `Fliplet.DataSources` inside the sandbox. The shim only forwards calls; every check and every
 * rule lives on the host side, in the service, so actions and the API behave the same.
 *
 * A connection keeps just its data source's id and sends it as the first argument of each call.
 * Trailing `undefined` arguments reach the host as `null` (calls cross as JSON), which the host
 * treats as "not given".
 */
const shim = `(function (hostCall) {
  'use strict';
  const call = (method, args) => hostCall('DataSources', method, args);

  function connection(source) {
    const send = (method) => (...args) => call(method, [source.id, ...args]);
    return Object.freeze({
      id: source.id,
      name: source.name,
      find: send('find'),
      findOne: send('findOne'),
      findById: send('findById'),
      insert: send('insert'),
      update: send('update'),
      removeById: send('removeById'),
      commit: send('commit'),
    });
  }

  Fliplet.DataSources = Object.freeze({
    get: () => call('get', []),
    create: (options) => call('create', [options]),
    connect: (id) => call('connect', [id]).then(connection),
    connectByName: (name) => call('connectByName', [name]).then(connection),
  });
})(__hostCall);
`;

// Ids may come from a payload as text ("158"), so digit strings are accepted too.
const id = z.union([rowIdSchema, z.string().regex(/^\d+$/).transform(Number).pipe(rowIdSchema)], {
  error: 'expected a positive integer id',
});
const name = z.string().min(1, 'expected a non-empty name');
const findOptions = findQuerySchema.nullish().transform((options) => options ?? {});

export const dataSourcesPackage: PlatformPackage = {
  name: 'fliplet-datasources',
  namespace: 'DataSources',
  shim,
  host: hostMethods,
};

function hostMethods(scope: PlatformScope): Record<string, HostMethod> {
  const { db, appId } = scope;
  const actor: DataSourceScope = {
    appId,
    organizationId: scope.organizationId,
    userId: null,
    origin: { runId: scope.runId, chainDepth: scope.chainDepth },
  };
  return {
    get: method('get', [], z.tuple([]), () => listDataSources(db, appId)),
    create: method('create', ['options'], z.tuple([createDataSourceSchema]), ([options]) =>
      createDataSource(db, actor, options),
    ),
    connect: method('connect', ['dataSourceId'], z.tuple([id]), ([sourceId]) =>
      getDataSource(db, appId, sourceId),
    ),
    connectByName: method('connectByName', ['name'], z.tuple([name]), ([sourceName]) =>
      getDataSourceByName(db, appId, sourceName),
    ),
    ...connectionMethods(scope, actor),
  };
}

function connectionMethods(scope: PlatformScope, actor: DataSourceScope) {
  const { db, appId } = scope;
  const withOptions = z.tuple([id, findOptions]);
  const withEntry = z.tuple([id, id]);
  return {
    find: method('find', ['dataSourceId', 'options?'], withOptions, ([source, options]) =>
      findEntries(db, appId, source, options),
    ),
    findOne: method('findOne', ['dataSourceId', 'options?'], withOptions, ([source, options]) =>
      findOne(db, appId, source, options),
    ),
    findById: method('findById', ['dataSourceId', 'id'], withEntry, ([source, entry]) =>
      findById(db, appId, source, entry),
    ),
    insert: method('insert', ['dataSourceId', 'data'], z.tuple([id, entryDataSchema]), (args) =>
      insertEntry(db, actor, ...args),
    ),
    update: method(
      'update',
      ['dataSourceId', 'id', 'data'],
      z.tuple([id, id, entryDataSchema]),
      (args) => updateEntry(db, actor, ...args),
    ),
    removeById: method('removeById', ['dataSourceId', 'id'], withEntry, (args) =>
      removeEntry(db, actor, ...args),
    ),
    commit: method('commit', ['dataSourceId', 'options'], z.tuple([id, commitSchema]), (args) =>
      commitEntries(db, actor, ...args),
    ),
  };
}

/**
 * A host method that checks its arguments, then runs unless the run has already ended.
 * `params` names the arguments for messages; a trailing `?` marks one as optional.
 */
function method<T extends unknown[]>(
  methodName: string,
  params: readonly string[],
  schema: z.ZodType<T>,
  run: (args: T) => Promise<unknown>,
): HostMethod {
  const label = `DataSources.${methodName}`;
  const names = params.map((param) => param.replace(/\?$/, ''));
  const required = params.filter((param) => !param.endsWith('?')).length;
  return async (args, signal) => {
    if (args.length < required || args.length > params.length) {
      const expected = `${label}(${names.join(', ')})`;
      const problem =
        args.length < required ? `missing ${names[args.length]}` : 'too many arguments';
      throw new AppError('BAD_REQUEST', `${expected}: ${problem}`);
    }
    const checked = parseInput(schema, args, label, names);
    signal.throwIfAborted();
    // Methods that return nothing (removeById) answer null, which crosses as JSON.
    return (await run(checked)) ?? null;
  };
}
