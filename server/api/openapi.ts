/**
 * The OpenAPI 3.1 description of the public REST API, served at GET /v3/openapi.json.
 *
 * Each operation lists the product codes it can answer; their HTTP statuses come from
 * `errorStatuses`, so the document cannot disagree with what the server sends. Limits and enums
 * are read from the modules that enforce them. The contract tests check that every route the
 * server has is here and that every listed code is one the route really answers.
 */
import { approvedLibraries } from '../actions/libraries';
import { restPermission } from './rest/permissions';
import { packages } from '../actions/packages';
import { CODE_MAX_BYTES, NAME_MAX_LENGTH } from '../actions/validate';
import { errorStatuses, type ErrorStatus } from '../errors';
import { MAX_FIND_LIMIT } from '../platform/datasources/query';
import { MAX_FILE_BYTES } from '../platform/media/schemas';
import { MAX_REPORTED_CONSOLE_LINES } from '../runs/client-runs';
import { runVersions } from '../runs/job';
import { RUN_COMPLETED, RUN_FAILED } from '../runs/logs';
import { MAX_FIRE_TIMES } from '../triggers/cron';
import {
  analyticsEventTypes,
  environments,
  logEventTypes,
  triggerTypes,
} from '../triggers/types';
import type { RateLimitKind } from './rate-limit';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI path template, such as `/v3/apps/{appId}/actions/{id}`. */
  path: string;
  operationId: string;
  /** The SDK method that calls it, when there is one. */
  sdkMethod?: string;
  /** The app's rate-limit budget the call spends; public routes spend none. */
  budget?: RateLimitKind;
  summary: string;
  description: string;
  tag: string;
  parameters: JsonObject[];
  requestBody?: JsonObject;
  success: {
    status: number;
    description: string;
    schema: JsonObject;
    /** Media types of the answer; JSON unless stated. */
    contentTypes?: readonly string[];
  };
  /** Every product code the operation can answer. */
  errors: readonly ErrorStatus[];
}

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

const actionsPath = '/v3/apps/{appId}/actions';

/** Answered by every app route: the address, the token and the budget are checked first. */
const accessErrors = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'APP_NOT_FOUND',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
] as const satisfies readonly ErrorStatus[];

/** The field checks of create and update (docs/api.md gives the order they run in). */
export const fieldErrors = [
  'NAME_REQUIRED',
  'NAME_EMPTY',
  'NAME_TOO_LONG',
  'NAME_INVALID_CHARS',
  'NAME_ALREADY_EXISTS',
  'CODE_REQUIRED',
  'CODE_EMPTY',
  'ACTIVE_INVALID',
  'ENVIRONMENT_INVALID',
  'TRIGGERS_INVALID',
  'TRIGGER_TYPE_INVALID',
  'FREQUENCY_INVALID',
  'FREQUENCY_TOO_FREQUENT',
  'TIMEZONE_INVALID',
  'DEPENDENCIES_INVALID',
  'TRIGGER_NOT_ALLOWED',
  'CODE_VALIDATION_FAILED',
] as const satisfies readonly ErrorStatus[];

const lookupErrors = [
  'ACTION_NOT_FOUND',
  'ACTION_NOT_V3',
] as const satisfies readonly ErrorStatus[];

const runRefusals = [
  'PAYLOAD_TOO_LARGE',
  'PAYLOAD_INVALID',
  ...lookupErrors,
  'ACTION_NOT_PUBLISHED',
  'ACTION_INACTIVE',
  'CLIENT_ACTION_NOT_RUNNABLE',
  'ACTION_NOT_RUNNABLE',
] as const satisfies readonly ErrorStatus[];

const pathParam = (name: string, description: string, schema: JsonObject): JsonObject => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

const queryParam = (name: string, description: string, schema: JsonObject): JsonObject => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const appIdParam = pathParam('appId', 'The app the actions belong to', {
  type: 'integer',
  minimum: 1,
});
const idParam = pathParam('id', 'An action id (master, or production where stated)', {
  type: 'integer',
  minimum: 1,
});
const nameOrIdParam = pathParam(
  'nameOrId',
  'The action name, or its id (digits only). An id is tried first; a name made of digits is ' +
    'found when no action has that id. A production id runs that action too.',
  { type: 'string' },
);
const versionParam = queryParam(
  'version',
  'Which version runs: `production` (live apps; the default) or `master` (editor, viewer)',
  { type: 'string', enum: [...runVersions], default: 'production' },
);
// Any whole number is accepted and clamped (server/api/rest/http.ts), so no `minimum`.
const offsetParam = queryParam('offset', 'Entries to skip; below 0 is 0', {
  type: 'integer',
  default: 0,
});
const pageParams = (max: number): JsonObject[] => [
  queryParam('limit', `Page size, 1 to ${max}; below 1 is 1, above ${max} is ${max}`, {
    type: 'integer',
    default: 50,
  }),
  offsetParam,
];

const tokenQueryParam = queryParam(
  'token',
  'The API token, for a browser tab that cannot send a header',
  { type: 'string' },
);

const sourcesPath = '/v3/apps/{appId}/data-sources';
const entriesPath = `${sourcesPath}/{id}/entries`;
const sourceIdParam = pathParam('id', 'A data source id', { type: 'integer', minimum: 1 });
const entryIdParam = pathParam('entryId', 'An entry id of that data source', {
  type: 'integer',
  minimum: 1,
});
const findPageParams: JsonObject[] = [
  queryParam(
    'limit',
    `Page size, 1 to ${MAX_FIND_LIMIT}; below 1 is 1, above ${MAX_FIND_LIMIT} is ${MAX_FIND_LIMIT}`,
    { type: 'integer', default: MAX_FIND_LIMIT },
  ),
  offsetParam,
];

const jsonBody = (schema: JsonObject, description: string): JsonObject => ({
  required: true,
  description,
  content: { 'application/json': { schema } },
});

const actionEnvelope: JsonObject = {
  type: 'object',
  required: ['action'],
  properties: { action: ref('Action') },
};
const dataSourceEnvelope: JsonObject = {
  type: 'object',
  required: ['dataSource'],
  properties: { dataSource: ref('DataSource') },
};
const entryEnvelope: JsonObject = {
  type: 'object',
  required: ['entry'],
  properties: { entry: ref('Entry') },
};
const empty: JsonObject = { type: 'object', additionalProperties: false };

const operations: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/v3/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of the REST API. No token needed.',
    tag: 'Meta',
    parameters: [],
    success: { status: 200, description: 'The document', schema: { type: 'object' } },
    errors: ['INTERNAL_ERROR'],
  },
  {
    method: 'get',
    path: '/v3/cron/preview',
    operationId: 'previewSchedule',
    summary: 'Describe a cron expression and list its next fire times',
    description:
      'Checks a frequency the same way saving an action does and returns a plain-English ' +
      'description and the next fire times. No token needed and no rate limit.',
    tag: 'Schedules',
    parameters: [
      {
        ...queryParam('frequency', 'A five-field cron expression', { type: 'string' }),
        required: true,
      },
      queryParam('timezone', 'An IANA time zone; UTC when omitted', { type: 'string' }),
      queryParam('from', 'Fire times strictly after this instant; now when omitted', {
        type: 'string',
        format: 'date-time',
      }),
      queryParam('count', `How many fire times, 1 to ${MAX_FIRE_TIMES}; clamped like limit`, {
        type: 'integer',
        default: 5,
      }),
    ],
    success: {
      status: 200,
      description: 'The description and fire times',
      schema: ref('SchedulePreview'),
    },
    errors: [
      'BAD_REQUEST',
      'FREQUENCY_INVALID',
      'FREQUENCY_TOO_FREQUENT',
      'TIMEZONE_INVALID',
      'INTERNAL_ERROR',
    ],
  },
  {
    method: 'get',
    path: actionsPath,
    operationId: 'listActions',
    sdkMethod: 'get',
    budget: 'crud',
    summary: 'List the master actions of an app',
    description: 'Master versions only, oldest first, one page at a time.',
    tag: 'Actions',
    parameters: [appIdParam, ...pageParams(100)],
    success: { status: 200, description: 'One page of actions', schema: ref('ActionList') },
    errors: [...accessErrors],
  },
  {
    method: 'post',
    path: actionsPath,
    operationId: 'createAction',
    sdkMethod: 'create',
    budget: 'crud',
    summary: 'Create an action (always a master version)',
    description:
      'Fields are checked in a fixed order and the first fault answers. Unknown and read-only ' +
      'keys are ignored. The body may be at most 1 MB.',
    tag: 'Actions',
    parameters: [appIdParam],
    requestBody: jsonBody(ref('CreateActionBody'), 'The new action'),
    success: { status: 201, description: 'The created master action', schema: actionEnvelope },
    errors: [...accessErrors, 'PAYLOAD_TOO_LARGE', ...fieldErrors],
  },
  {
    method: 'get',
    path: `${actionsPath}/logs`,
    operationId: 'getLogs',
    sdkMethod: 'getLogs',
    budget: 'crud',
    summary: 'Read the run log',
    description: 'Finished runs of the app\'s actions, newest first.',
    tag: 'Logs',
    parameters: [
      appIdParam,
      queryParam('id', 'Runs of this action, master or production', { type: 'integer' }),
      queryParam('type', 'Only completed or only failed runs', {
        type: 'string',
        enum: [RUN_COMPLETED, RUN_FAILED],
      }),
      queryParam('where[type]', 'Same as `type`', {
        type: 'string',
        enum: [RUN_COMPLETED, RUN_FAILED],
      }),
      queryParam('data.taskId', 'Runs whose `data.taskId` (the row that ran) is this id', {
        type: 'integer',
      }),
      queryParam('where[data][taskId]', 'Same as `data.taskId`', { type: 'integer' }),
      ...pageParams(1000),
    ],
    success: { status: 200, description: 'One page of run log entries', schema: ref('LogList') },
    errors: [...accessErrors],
  },
  {
    method: 'get',
    path: `${actionsPath}/{id}`,
    operationId: 'getAction',
    sdkMethod: 'getById',
    budget: 'crud',
    summary: 'Read one action, master or production',
    description: 'A production id returns the production version.',
    tag: 'Actions',
    parameters: [appIdParam, idParam],
    success: { status: 200, description: 'The action', schema: actionEnvelope },
    errors: [...accessErrors, ...lookupErrors],
  },
  {
    method: 'put',
    path: `${actionsPath}/{id}`,
    operationId: 'updateAction',
    sdkMethod: 'update',
    budget: 'crud',
    summary: 'Change fields of a master action',
    description:
      'Only the given fields change; the result is checked as a whole, as on create. ' +
      'Production is untouched until the next publish, except that `active: false` also ' +
      'deactivates the production version at once.',
    tag: 'Actions',
    parameters: [appIdParam, idParam],
    requestBody: jsonBody(ref('UpdateActionBody'), 'The fields to change'),
    success: { status: 200, description: 'The updated master action', schema: actionEnvelope },
    errors: [
      ...accessErrors,
      'PAYLOAD_TOO_LARGE',
      ...lookupErrors,
      'CANNOT_UPDATE_PRODUCTION',
      ...fieldErrors,
    ],
  },
  {
    method: 'delete',
    path: `${actionsPath}/{id}`,
    operationId: 'removeAction',
    sdkMethod: 'remove',
    budget: 'crud',
    summary: 'Delete a master action and its production version',
    description: 'Run log entries stay.',
    tag: 'Actions',
    parameters: [appIdParam, idParam],
    success: { status: 200, description: 'Deleted', schema: empty },
    errors: [...accessErrors, ...lookupErrors, 'CANNOT_DELETE_PRODUCTION'],
  },
  {
    method: 'post',
    path: `${actionsPath}/{id}/publish`,
    operationId: 'publishAction',
    sdkMethod: 'publish',
    budget: 'publish',
    summary: 'Copy the master to production',
    description:
      'Creates the production version or replaces it; its id stays the same across publishes. ' +
      'The app must be published.',
    tag: 'Actions',
    parameters: [appIdParam, idParam],
    success: { status: 200, description: 'The production version', schema: actionEnvelope },
    errors: [
      ...accessErrors,
      ...lookupErrors,
      'CANNOT_UPDATE_PRODUCTION',
      'APP_NOT_PUBLISHED',
      'PUBLISH_FAILED',
    ],
  },
  {
    method: 'post',
    path: `${actionsPath}/{id}/unpublish`,
    operationId: 'unpublishAction',
    sdkMethod: 'unpublish',
    budget: 'publish',
    summary: 'Delete the production version; the master stays',
    description: 'Fails when there is no production version.',
    tag: 'Actions',
    parameters: [appIdParam, idParam],
    success: { status: 200, description: 'Unpublished', schema: empty },
    errors: [...accessErrors, ...lookupErrors, 'CANNOT_UPDATE_PRODUCTION', 'ACTION_NOT_PUBLISHED'],
  },
  {
    method: 'post',
    path: `${actionsPath}/{nameOrId}/run`,
    operationId: 'runAction',
    sdkMethod: 'run',
    budget: 'run',
    summary: 'Queue a run and answer at once',
    description:
      'The action must be active, have a manual trigger and run on the server. The result ' +
      'is written to the run log only.',
    tag: 'Runs',
    parameters: [appIdParam, nameOrIdParam, versionParam],
    requestBody: { ...jsonBody(ref('Payload'), 'context.payload'), required: false },
    success: { status: 202, description: 'Queued', schema: ref('Queued') },
    errors: [...accessErrors, ...runRefusals],
  },
  {
    method: 'post',
    path: `${actionsPath}/{nameOrId}/run-with-result`,
    operationId: 'runActionWithResult',
    sdkMethod: 'runWithResult',
    budget: 'run',
    summary: 'Run and wait for the value execute() returns',
    description:
      'Same refusals as run. The body of a 200 is exactly the returned value as JSON (null ' +
      'when execute() returns nothing), at most 6 MB.',
    tag: 'Runs',
    parameters: [appIdParam, nameOrIdParam, versionParam],
    requestBody: { ...jsonBody(ref('Payload'), 'context.payload'), required: false },
    success: { status: 200, description: 'The return value of execute()', schema: {} },
    errors: [
      ...accessErrors,
      ...runRefusals,
      'EXECUTION_FAILED',
      'EXECUTION_TIMEOUT',
      'RESULT_TOO_LARGE',
    ],
  },
  {
    method: 'get',
    path: '/v3/apps/{appId}/client-actions',
    operationId: 'listClientActions',
    budget: 'crud',
    summary: 'The actions that run in browsers, with their code',
    description:
      'What the browser runtime (/runtime/actions.js) loads once per page: the app\'s active ' +
      '`client` actions and its active `any` actions that have an analytics trigger, in one ' +
      'version, with their code, triggers, the scripts their dependencies need in a browser ' +
      '(`preludes`, each sent once) and the client limits. See docs/browser-runtime.md.',
    tag: 'Browser runtime',
    parameters: [
      appIdParam,
      queryParam('version', '`production` (live apps; the default) or `master` (the preview)', {
        type: 'string',
        enum: [...runVersions],
        default: 'production',
      }),
    ],
    success: { status: 200, description: 'The client actions', schema: ref('ClientCatalogue') },
    errors: [...accessErrors],
  },
  {
    method: 'post',
    path: `${actionsPath}/{id}/client-runs`,
    operationId: 'reportClientRun',
    budget: 'run',
    summary: 'Log a run that happened in a browser',
    description:
      'Sent by the browser runtime when a run ends. `{id}` is the row that ran (master or ' +
      'production); the action must belong to the app, have the `client` or `any` environment ' +
      'and the trigger the report names. The entry is logged with `runOn: "client"`; a report ' +
      'whose `runId` is already logged answers 200 with `logged: false`. A timeout is logged as ' +
      'a `TimeoutError` worded by the server. Payload, result (6 MB), console and error sizes ' +
      'are capped.',
    tag: 'Browser runtime',
    parameters: [appIdParam, idParam],
    requestBody: jsonBody(ref('ClientRunReport'), 'The finished run'),
    success: { status: 201, description: 'Logged', schema: ref('ClientRunLogged') },
    errors: [
      ...accessErrors,
      'PAYLOAD_TOO_LARGE',
      'PAYLOAD_INVALID',
      ...lookupErrors,
      'ACTION_NOT_RUNNABLE',
    ],
  },
  {
    method: 'get',
    path: `${actionsPath}/{id}/compile`,
    operationId: 'compileAction',
    budget: 'crud',
    summary: 'The action compiled for the browser, or its debug page',
    description:
      'Without `html`: a script that registers the action (master or production row) with the ' +
      'browser runtime under the file name `actions/<name>.js`, followed by its dependencies. ' +
      'With `html`: a page that loads the runtime and that script, where ' +
      '`Fliplet.App.V3.Actions.runWithResult(name, payload)` runs the action in the page so ' +
      'DevTools breakpoints hold. The token may also be given as `token` in the query.',
    tag: 'Browser runtime',
    parameters: [
      appIdParam,
      idParam,
      queryParam('html', 'Present (any value): answer the debug page instead of the script', {
        type: 'string',
      }),
      tokenQueryParam,
    ],
    success: {
      status: 200,
      description: 'The compiled script, or with `html` the debug page',
      schema: { type: 'string' },
      contentTypes: ['text/javascript', 'text/html'],
    },
    errors: [...accessErrors, ...lookupErrors],
  },
  {
    method: 'get',
    path: sourcesPath,
    operationId: 'listDataSources',
    budget: 'crud',
    summary: 'List the data sources of an app',
    description: 'Every data source of the app, oldest first. See docs/datasources.md.',
    tag: 'Data sources',
    parameters: [appIdParam],
    success: { status: 200, description: 'The data sources', schema: ref('DataSourceList') },
    errors: [...accessErrors],
  },
  {
    method: 'post',
    path: sourcesPath,
    operationId: 'createDataSource',
    budget: 'crud',
    summary: 'Create a data source',
    description:
      'A name unique within the app and, optionally, its first columns (more are added as ' +
      'entries bring new keys). Unknown keys are refused. The body may be at most 1 MB.',
    tag: 'Data sources',
    parameters: [appIdParam],
    requestBody: jsonBody(ref('CreateDataSourceBody'), 'The new data source'),
    success: { status: 201, description: 'The data source', schema: dataSourceEnvelope },
    errors: [...accessErrors, 'PAYLOAD_TOO_LARGE', 'NAME_ALREADY_EXISTS'],
  },
  {
    method: 'get',
    path: `${sourcesPath}/{id}`,
    operationId: 'getDataSource',
    budget: 'crud',
    summary: 'Read one data source',
    description: 'A data source of another app answers as one that does not exist.',
    tag: 'Data sources',
    parameters: [appIdParam, sourceIdParam],
    success: { status: 200, description: 'The data source', schema: dataSourceEnvelope },
    errors: [...accessErrors, 'DATA_SOURCE_NOT_FOUND'],
  },
  {
    method: 'get',
    path: entriesPath,
    operationId: 'listEntries',
    budget: 'crud',
    summary: 'One page of entries, oldest first',
    description: 'Entries in insertion order with the total count. Filter and sort with the query.',
    tag: 'Data sources',
    parameters: [appIdParam, sourceIdParam, ...findPageParams],
    success: { status: 200, description: 'One page of entries', schema: ref('EntryPage') },
    errors: [...accessErrors, 'DATA_SOURCE_NOT_FOUND'],
  },
  {
    method: 'post',
    path: `${entriesPath}/query`,
    operationId: 'queryEntries',
    budget: 'crud',
    summary: 'Find entries: where, order, attributes, paging',
    description:
      'The options of `find` inside actions, as the body. Answers `{ entries }`, or with ' +
      '`includePagination: true` `{ entries, pagination }`. A read: every role may query.',
    tag: 'Data sources',
    parameters: [appIdParam, sourceIdParam],
    requestBody: { ...jsonBody(ref('FindQuery'), 'The find options'), required: false },
    success: { status: 200, description: 'The matching entries', schema: ref('EntryPage') },
    errors: [...accessErrors, 'PAYLOAD_TOO_LARGE', 'DATA_SOURCE_NOT_FOUND'],
  },
  {
    method: 'post',
    path: entriesPath,
    operationId: 'insertEntry',
    budget: 'crud',
    summary: 'Add an entry',
    description:
      'Stores `data` as a new entry, adds new keys to the columns and writes a ' +
      '`dataSource.entry.create` app log event in the same transaction (log triggers fire).',
    tag: 'Data sources',
    parameters: [appIdParam, sourceIdParam],
    requestBody: jsonBody(ref('EntryBody'), 'The entry data'),
    success: { status: 201, description: 'The new entry', schema: entryEnvelope },
    errors: [...accessErrors, 'PAYLOAD_TOO_LARGE', 'DATA_SOURCE_NOT_FOUND'],
  },
  {
    method: 'get',
    path: `${entriesPath}/{entryId}`,
    operationId: 'getEntry',
    budget: 'crud',
    summary: 'Read one entry',
    description: 'An entry of another data source answers as one that does not exist.',
    tag: 'Data sources',
    parameters: [appIdParam, sourceIdParam, entryIdParam],
    success: { status: 200, description: 'The entry', schema: entryEnvelope },
    errors: [...accessErrors, 'DATA_SOURCE_NOT_FOUND', 'ENTRY_NOT_FOUND'],
  },
  {
    method: 'put',
    path: `${entriesPath}/{entryId}`,
    operationId: 'updateEntry',
    budget: 'crud',
    summary: 'Change an entry (shallow merge)',
    description:
      'The keys of `data` replace theirs; other keys stay, as `update` inside actions. Writes a ' +
      '`dataSource.entry.update` app log event in the same transaction.',
    tag: 'Data sources',
    parameters: [appIdParam, sourceIdParam, entryIdParam],
    requestBody: jsonBody(ref('EntryBody'), 'The keys to change'),
    success: { status: 200, description: 'The entry after the change', schema: entryEnvelope },
    errors: [...accessErrors, 'PAYLOAD_TOO_LARGE', 'DATA_SOURCE_NOT_FOUND', 'ENTRY_NOT_FOUND'],
  },
  {
    method: 'delete',
    path: `${entriesPath}/{entryId}`,
    operationId: 'removeEntry',
    budget: 'crud',
    summary: 'Delete an entry',
    description: 'Writes a `dataSource.entry.delete` app log event in the same transaction.',
    tag: 'Data sources',
    parameters: [appIdParam, sourceIdParam, entryIdParam],
    success: { status: 200, description: 'Deleted', schema: empty },
    errors: [...accessErrors, 'DATA_SOURCE_NOT_FOUND', 'ENTRY_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v3/apps/{appId}/media/files/{id}/contents',
    operationId: 'getMediaFileContents',
    budget: 'crud',
    summary: 'The bytes of a media file',
    description:
      'Answers the file as stored, with its content type, for a media file\'s `url`. Images, ' +
      'plain text, CSV, JSON, audio and video are sent inline; anything else as a download. ' +
      'Every answer is sandboxed (CSP `sandbox`, `nosniff`). The token may also be given as ' +
      '`token` in the query, so a browser tab can open the address.',
    tag: 'Media',
    parameters: [
      appIdParam,
      pathParam('id', 'A media file id', { type: 'integer', minimum: 1 }),
      tokenQueryParam,
    ],
    success: {
      status: 200,
      description: `The file's bytes (at most ${MAX_FILE_BYTES})`,
      schema: { type: 'string', format: 'binary' },
      contentTypes: ['*/*'],
    },
    errors: [...accessErrors, 'NOT_FOUND'],
  },
];

/**
 * A token may always read; an operation that needs more than `read` (rest/permissions.ts) may
 * be refused with 403 FORBIDDEN for the token's role.
 */
export const apiOperations: readonly ApiOperation[] = operations.map((op) => {
  const route = op.path.replace(/\{(\w+)\}/g, ':$1');
  if (restPermission(op.method.toUpperCase(), route) === 'read') return op;
  return { ...op, errors: [...op.errors, 'FORBIDDEN'] };
});

const triggerSchema: JsonObject = {
  oneOf: [
    {
      type: 'object',
      required: ['trigger'],
      properties: {
        trigger: { type: 'string', enum: ['manual', 'schedule'] },
        where: {
          description: 'Not used: only null or an empty object is accepted',
          type: ['object', 'null'],
          maxProperties: 0,
        },
      },
    },
    {
      type: 'object',
      required: ['trigger', 'where'],
      properties: {
        trigger: { const: 'log' },
        where: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { type: 'string', enum: [...logEventTypes] },
            dataSourceId: { type: 'integer', minimum: 1 },
          },
        },
      },
    },
    {
      type: 'object',
      required: ['trigger', 'where'],
      properties: {
        trigger: { const: 'analytics' },
        where: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { type: 'string', enum: [...analyticsEventTypes] },
            data: { type: 'object', description: 'Event data fields to match, such as _pageId' },
          },
        },
      },
    },
  ],
};

const dependencyNames = [...packages.map((p) => p.name), ...approvedLibraries.map((l) => l.url)];

const fieldSchemas: Record<string, JsonObject> = {
  name: {
    type: 'string',
    minLength: 1,
    maxLength: NAME_MAX_LENGTH,
    pattern: '^[A-Za-z0-9_-]+$',
    description: 'Unique among the app\'s master actions (case-sensitive)',
  },
  code: {
    type: 'string',
    description: `Defines async function execute(context); at most ${CODE_MAX_BYTES} bytes`,
  },
  active: { type: 'boolean', default: false },
  environment: {
    type: ['string', 'null'],
    enum: [...environments, null],
    default: 'server',
    description: 'null means the default, server',
  },
  triggers: {
    type: ['array', 'null'],
    items: ref('Trigger'),
    default: [],
    description: `Trigger types: ${triggerTypes.join(', ')}`,
  },
  dependencies: {
    type: ['array', 'null'],
    items: { type: 'string', enum: dependencyNames },
    default: [],
  },
  frequency: {
    type: ['string', 'null'],
    description: 'Cron expression; null or "" for none. Needed by a schedule trigger',
  },
  timezone: { type: ['string', 'null'], description: 'IANA time zone; null means UTC' },
};

const errorCodes = Object.keys(errorStatuses) as ErrorStatus[];

const schemas: Record<string, JsonObject> = {
  Action: {
    type: 'object',
    required: [
      'id', 'appId', 'name', 'code', 'active', 'environment', 'actionVersion', 'triggers',
      'dependencies', 'assets', 'frequency', 'timezone', 'lastRunAt', 'createdAt', 'updatedAt',
    ],
    properties: {
      id: { type: 'integer' },
      appId: { type: 'integer' },
      name: { type: 'string' },
      code: { type: 'string' },
      active: { type: 'boolean' },
      environment: { type: 'string', enum: [...environments] },
      actionVersion: { const: 'v3' },
      triggers: { type: 'array', items: ref('Trigger') },
      dependencies: { type: 'array', items: { type: 'string' } },
      assets: { type: 'array', items: ref('Asset') },
      frequency: { type: ['string', 'null'] },
      timezone: { type: ['string', 'null'] },
      lastRunAt: { type: ['string', 'null'], format: 'date-time' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  Asset: {
    type: 'object',
    required: ['name', 'url', 'path'],
    properties: { name: { type: 'string' }, url: { type: 'string' }, path: { type: 'string' } },
  },
  Trigger: triggerSchema,
  CreateActionBody: {
    type: 'object',
    required: ['name', 'code'],
    properties: fieldSchemas,
    description: 'Other keys are ignored',
  },
  UpdateActionBody: {
    type: 'object',
    properties: fieldSchemas,
    description: 'Only the given keys change; other keys are ignored',
  },
  ActionList: {
    type: 'object',
    required: ['actions', 'pagination'],
    properties: {
      actions: { type: 'array', items: ref('Action') },
      pagination: {
        type: 'object',
        required: ['total', 'limit', 'offset', 'hasMore'],
        properties: {
          total: { type: 'integer' },
          limit: { type: 'integer', description: 'The page size used' },
          offset: { type: 'integer' },
          hasMore: { type: 'boolean' },
        },
      },
    },
  },
  Payload: {
    type: ['object', 'null'],
    additionalProperties: true,
    description:
      'A JSON object (an empty body or null means {}), at most ACTIONS_MAX_PAYLOAD_BYTES ' +
      '(1 MB by default) and 64 levels deep',
  },
  Queued: {
    type: 'object',
    required: ['queued', 'runId'],
    properties: { queued: { const: true }, runId: { type: 'string', format: 'uuid' } },
  },
  RunLogEntry: {
    type: 'object',
    required: ['id', 'type', 'createdAt', 'data'],
    properties: {
      id: { type: 'integer' },
      type: { type: 'string', enum: [RUN_COMPLETED, RUN_FAILED] },
      createdAt: { type: 'string', format: 'date-time' },
      data: {
        type: 'object',
        required: ['mode', 'runOn', 'taskId', 'payload', 'duration', 'actionVersion'],
        properties: {
          mode: { type: 'string', enum: ['on-demand', 'scheduled'] },
          runOn: { type: 'string', enum: ['server', 'client'] },
          taskId: { type: 'integer', description: 'The id of the row that ran' },
          payload: { type: 'object' },
          duration: { type: 'number', description: 'Milliseconds' },
          actionVersion: { const: 'v3' },
          result: {
            type: 'object',
            description: 'On-demand successes: { data, success: true }; failures: the error',
          },
          error: ref('RunError'),
        },
      },
    },
  },
  RunError: {
    type: 'object',
    required: ['name', 'message', 'stack'],
    properties: {
      name: { type: 'string' },
      message: { type: 'string' },
      stack: { type: 'string' },
    },
  },
  LogList: {
    type: 'object',
    required: ['count', 'logs'],
    properties: {
      count: { type: 'integer', description: 'Entries on this page' },
      logs: { type: 'array', items: ref('RunLogEntry') },
    },
  },
  ClientCatalogue: {
    type: 'object',
    required: [
      'appId', 'version', 'clientTimeoutMs', 'maxPayloadBytes', 'actions', 'preludes',
    ],
    properties: {
      appId: { type: 'integer' },
      version: { type: 'string', enum: [...runVersions] },
      clientTimeoutMs: { type: 'integer', description: 'ACTIONS_CLIENT_TIMEOUT_MS' },
      maxPayloadBytes: { type: 'integer', description: 'ACTIONS_MAX_PAYLOAD_BYTES' },
      actions: {
        type: 'array',
        items: {
          type: 'object',
          required: [
            'id', 'masterId', 'name', 'environment', 'triggers', 'dependencies', 'code',
            'codeHash', 'preludes',
          ],
          properties: {
            id: { type: 'integer', description: 'The row that runs' },
            masterId: { type: 'integer' },
            name: { type: 'string' },
            environment: { type: 'string', enum: ['client', 'any'] },
            triggers: { type: 'array', items: ref('Trigger') },
            dependencies: { type: 'array', items: { type: 'string' } },
            code: { type: 'string' },
            codeHash: { type: 'string', description: 'sha256 of the code and dependencies' },
            preludes: {
              type: 'array',
              items: { type: 'string' },
              description: 'Keys of `preludes`, in load order',
            },
          },
        },
      },
      preludes: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Script sources by name',
      },
    },
  },
  ClientRunReport: {
    type: 'object',
    required: ['runId', 'trigger', 'payload', 'durationMs', 'outcome'],
    properties: {
      runId: { type: 'string', format: 'uuid', description: 'Made by the browser' },
      trigger: { type: 'string', enum: ['manual', 'analytics'] },
      payload: { type: 'object', description: 'context.payload: the event for analytics runs' },
      durationMs: { type: 'integer', minimum: 0 },
      codeHash: { type: 'string', description: 'The catalogue\'s codeHash of the code that ran' },
      outcome: {
        oneOf: [
          {
            type: 'object',
            required: ['ok'],
            properties: { ok: { const: true }, result: { description: 'At most 6 MB of JSON' } },
          },
          {
            type: 'object',
            required: ['ok', 'error'],
            properties: {
              ok: { const: false },
              error: ref('RunError'),
              limit: { type: 'string', enum: ['timeout', 'memory', 'result-size', 'crash'] },
              timeoutMs: { type: 'integer', description: 'The limit the page enforced' },
            },
          },
        ],
      },
      console: {
        type: 'array',
        maxItems: MAX_REPORTED_CONSOLE_LINES,
        items: {
          type: 'object',
          required: ['level', 'message', 'at'],
          properties: {
            level: { type: 'string', enum: ['log', 'info', 'warn', 'error'] },
            message: { type: 'string' },
            at: { type: 'number', description: 'Milliseconds since the run started' },
          },
        },
      },
    },
  },
  ClientRunLogged: {
    type: 'object',
    required: ['logged', 'runId'],
    properties: {
      logged: { type: 'boolean', description: 'false when this runId was already logged (200)' },
      runId: { type: 'string', format: 'uuid' },
      logId: { type: 'integer', description: 'The run log entry, when logged' },
    },
  },
  DataSource: {
    type: 'object',
    required: ['id', 'appId', 'name', 'columns', 'createdAt', 'updatedAt'],
    properties: {
      id: { type: 'integer' },
      appId: { type: 'integer' },
      name: { type: 'string' },
      columns: {
        type: 'array',
        items: { type: 'string' },
        description: 'Known columns, in first-seen order',
      },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  DataSourceList: {
    type: 'object',
    required: ['dataSources'],
    properties: { dataSources: { type: 'array', items: ref('DataSource') } },
  },
  CreateDataSourceBody: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 255, description: 'Unique in the app' },
      columns: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    },
  },
  Entry: {
    type: 'object',
    required: ['id', 'data', 'createdAt', 'updatedAt', 'dataSourceId'],
    properties: {
      id: { type: 'integer' },
      data: { type: 'object', additionalProperties: true },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      dataSourceId: { type: 'integer' },
    },
  },
  EntryBody: {
    type: 'object',
    required: ['data'],
    properties: {
      data: {
        type: 'object',
        additionalProperties: true,
        description: 'JSON values by column; text may not contain \\u0000',
      },
    },
    description: 'Other keys (id, createdAt, … of an entry as read) are ignored',
  },
  EntryPage: {
    type: 'object',
    required: ['entries'],
    properties: {
      entries: { type: 'array', items: ref('Entry') },
      pagination: {
        type: 'object',
        required: ['total', 'limit', 'offset'],
        properties: {
          total: { type: 'integer', description: 'Matching entries in all' },
          limit: { type: 'integer', description: 'The page size used' },
          offset: { type: 'integer' },
        },
      },
    },
  },
  FindQuery: {
    type: 'object',
    additionalProperties: false,
    description: 'The options of find inside actions; see docs/datasources.md',
    properties: {
      where: { type: 'object', description: 'Mongo-style conditions: $eq, $gt, $in, $or, …' },
      attributes: { type: 'array', items: { type: 'string' } },
      order: {
        description: '[[column, "asc" | "desc"], …] or { column: "asc" | "desc" }',
        oneOf: [
          { type: 'array', items: { type: 'array', minItems: 1, maxItems: 2 } },
          { type: 'object', additionalProperties: { type: 'string' } },
        ],
      },
      limit: { type: 'integer', minimum: 0, maximum: MAX_FIND_LIMIT },
      offset: { type: 'integer', minimum: 0 },
      includePagination: { type: 'boolean' },
    },
  },
  SchedulePreview: {
    type: 'object',
    required: ['description', 'next'],
    properties: {
      description: { type: 'string' },
      next: { type: 'array', items: { type: 'string', format: 'date-time' } },
    },
  },
  ErrorCode: {
    type: 'string',
    enum: errorCodes,
    description: 'Product status codes; x-http-status gives the HTTP status each is sent with',
    'x-http-status': { ...errorStatuses },
  },
  Error: {
    type: 'object',
    required: ['status', 'error'],
    properties: { status: ref('ErrorCode'), error: { type: 'string' } },
    additionalProperties: true,
    description:
      'Some codes add fields: issues (CODE_VALIDATION_FAILED), field and value (frequency), ' +
      'tz (TIMEZONE_INVALID), retryAfterSeconds (RATE_LIMITED), runId and logId (runs)',
  },
};

/** The operation's error answers, one per HTTP status, each listing its codes. */
function errorResponses(codes: readonly ErrorStatus[]): Record<string, JsonObject> {
  const byHttp = new Map<number, ErrorStatus[]>();
  for (const code of new Set(codes)) {
    const http = errorStatuses[code];
    byHttp.set(http, [...(byHttp.get(http) ?? []), code]);
  }
  const responses: Record<string, JsonObject> = {};
  for (const [http, group] of [...byHttp].sort(([a], [b]) => a - b)) {
    const response: JsonObject = {
      description: group.join(', '),
      content: {
        'application/json': {
          schema: {
            allOf: [ref('Error'), { type: 'object', properties: { status: { enum: group } } }],
          },
        },
      },
    };
    if (http === errorStatuses.RATE_LIMITED) {
      response.headers = {
        'Retry-After': {
          description: 'Seconds until the budget refills',
          schema: { type: 'integer' },
        },
      };
    }
    responses[String(http)] = response;
  }
  return responses;
}

function operationObject(op: ApiOperation): JsonObject {
  const operation: JsonObject = {
    operationId: op.operationId,
    summary: op.summary,
    description: op.description,
    tags: [op.tag],
    parameters: op.parameters,
    responses: {
      [String(op.success.status)]: {
        description: op.success.description,
        content: Object.fromEntries(
          (op.success.contentTypes ?? ['application/json']).map((type) => [
            type,
            { schema: op.success.schema },
          ]),
        ),
      },
      ...errorResponses(op.errors),
    },
  };
  if (op.requestBody) operation.requestBody = op.requestBody;
  if (op.sdkMethod) operation['x-sdk-method'] = `Fliplet.App.V3.Actions.${op.sdkMethod}`;
  if (op.budget) operation['x-rate-limit-budget'] = op.budget;
  else operation.security = [];
  return operation;
}

function buildDocument(): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const op of apiOperations) {
    paths[op.path] = { ...(paths[op.path] ?? {}), [op.method]: operationObject(op) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'App Actions API',
      version: '3',
      description:
        'Create, publish, run and inspect app actions; read and change the app\'s data sources ' +
        'and media. Send an API token in the Auth-token header. See docs/api.md for the rules ' +
        'behind each code.',
    },
    tags: [
      'Actions',
      'Runs',
      'Logs',
      'Browser runtime',
      'Data sources',
      'Media',
      'Schedules',
      'Meta',
    ].map((name) => ({ name })),
    security: [{ authToken: [] }],
    paths,
    components: {
      securitySchemes: {
        authToken: { type: 'apiKey', in: 'header', name: 'Auth-token' },
      },
      schemas,
    },
  };
}

let built: JsonObject | undefined;

export function openApiDocument(): JsonObject {
  built ??= buildDocument();
  return built;
}
