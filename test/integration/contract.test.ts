/**
 * The public contract, table by table: every product code each REST operation can answer,
 * asked once in-process through `handleRest` and once through the SDK over real HTTP (a small
 * loopback server that hands each request to `handleRest`). The operations and their codes come
 * from the OpenAPI module; the last test checks that the tables cover every one of them.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runInNewContext } from 'node:vm';

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { CODE_MAX_BYTES } from '../../server/actions/validate';
import { createAction, publishAction } from '../../server/actions/service';
import { openApiDocument, apiOperations, type ApiOperation } from '../../server/api/openapi';
import { handleRest } from '../../server/api/rest/handler';
import { createApiToken } from '../../server/api/tokens';
import { setAppPublished } from '../../server/apps/service';
import { db } from '../../server/db/client';
import {
  actionLogs,
  actions,
  apiTokens,
  apps,
  dataSourceEntries,
  dataSources,
  mediaFiles,
  organizations,
} from '../../server/db/schema';
import { seedDemo } from '../../server/db/seed';
import { errorStatuses, type ErrorStatus } from '../../server/errors';
import {
  ActionsApiError,
  createActionsClient,
  type ActionsClient,
  type CreateActionInput,
  type RunLogType,
  type RunVersion,
  type UpdateActionInput,
} from '../../server/sdk/actions-client';
import { browserBundle } from '../../server/sdk/bundle';
import { createTestDatabase, startRunner, type RunnerProcess, type TestDatabase } from '../harness';

const DEV_TOKEN = 'contract-dev-token';
const MAX_PAYLOAD = 4096;
const SERVER_TIMEOUT_MS = '1000';
const VALID_CODE = 'async function execute(context) { return { ok: true }; }';

// ---------------------------------------------------------------------------------------------
// Fixtures

interface Fixtures {
  /** The seeded, published demo app; DEV_TOKEN opens it. */
  demoApp: number;
  /** An unpublished app in the demo organisation, reached with the organisation token. */
  draftApp: number;
  /** An app of another organisation, with its own app token. */
  foreignApp: number;
  orgToken: string;
  foreignToken: string;
  revokedToken: string;
  /** A token of the demo app whose role (viewer) may read but not change anything. */
  viewerToken: string;
  master: number;
  production: number;
  other: number;
  unpublished: number;
  inactive: number;
  clientOnly: number;
  noManual: number;
  legacy: number;
  /** An inactive action named with digits only, which no action id equals. */
  digits: number;
  draftAction: number;
  foreignAction: number;
  /** The demo app's seeded Bookings data source, one of its entries, and a second source. */
  bookings: number;
  booking: number;
  otherSource: number;
  foreignSource: number;
  mediaFile: number;
}

/**
 * Until beforeAll stores the real fixtures, cases are built against these stand-ins: the tables
 * are collected before any test runs, and building a case is how we learn whether it has an
 * SDK form.
 */
const placeholders: Fixtures = {
  demoApp: 1, draftApp: 0, foreignApp: 0, orgToken: '', foreignToken: '', revokedToken: '',
  viewerToken: '',
  master: 0, production: 0, other: 0, unpublished: 0, inactive: 0, clientOnly: 0, noManual: 0,
  legacy: 0, digits: 0, draftAction: 0, foreignAction: 0,
  bookings: 0, booking: 0, otherSource: 0, foreignSource: 0, mediaFile: 0,
};

let database: TestDatabase;
let server: Server;
let baseUrl: string;
let fx: Fixtures = placeholders;

beforeAll(async () => {
  database = await createTestDatabase();
  // server/env.ts reads these once, on first use: set them before anything touches it.
  process.env.DATABASE_URL = database.url;
  process.env.DEV_API_TOKEN = DEV_TOKEN;
  process.env.ACTIONS_SERVER_TIMEOUT_MS = SERVER_TIMEOUT_MS;
  process.env.ACTIONS_MAX_PAYLOAD_BYTES = String(MAX_PAYLOAD);
  // The rate limits keep their defaults (60/30/10): the rate-limit tests check those numbers.
  for (const kind of ['CRUD', 'RUN', 'PUBLISH']) delete process.env[`ACTIONS_RATE_LIMIT_${kind}`];
  await seedDemo(db());
  fx = await createFixtures();
  server = await startBridge();
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await db().$client.end();
  await database?.drop();
});

async function createFixtures(): Promise<Fixtures> {
  const d = db();
  const [demo] = await d.select().from(apps).where(eq(apps.id, 1));
  if (!demo) throw new Error('the demo app was not seeded');
  const [draft] = await d
    .insert(apps)
    .values({ organizationId: demo.organizationId, name: 'Draft app' })
    .returning();
  const [org] = await d.insert(organizations).values({ name: 'Another organisation' }).returning();
  if (!draft || !org) throw new Error('fixture apps not stored');
  const [foreign] = await d
    .insert(apps)
    .values({ organizationId: org.id, name: 'Foreign app', publishedAt: new Date() })
    .returning();
  if (!foreign) throw new Error('fixture app not stored');

  const make = async (appId: number, body: Record<string, unknown>) =>
    (await createAction(d, appId, { code: VALID_CODE, ...body })).id;
  const manual = [{ trigger: 'manual' }];
  const master = await make(demo.id, { name: 'contract-master', active: true, triggers: manual });
  const production = (await publishAction(d, demo.id, master)).id;
  const [legacy] = await d
    .insert(actions)
    .values({ appId: demo.id, name: 'legacy-v2', code: VALID_CODE, actionVersion: 'v2' })
    .returning();
  if (!legacy) throw new Error('legacy fixture not stored');
  const revoked = await createApiToken(d, { appId: demo.id }, 'revoked');
  const source = async (appId: number, name: string) => {
    const [row] = await d.insert(dataSources).values({ appId, name }).returning();
    if (!row) throw new Error('data source fixture not stored');
    return row.id;
  };
  const [bookings] = await d.select().from(dataSources).where(eq(dataSources.name, 'Bookings'));
  const entriesOfBookings = eq(dataSourceEntries.dataSourceId, bookings?.id ?? 0);
  const [booking] = await d.select().from(dataSourceEntries).where(entriesOfBookings);
  if (!bookings || !booking) throw new Error('the demo Bookings were not seeded');
  // A row only: no test reads its bytes, which would live under DATA_DIR.
  const [media] = await d
    .insert(mediaFiles)
    .values({ appId: demo.id, name: 'a.txt', contentType: 'text/plain', size: 0, sha256: '',
      storageKey: `${demo.id}/contract` })
    .returning();
  if (!media) throw new Error('media fixture not stored');
  await d.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, revoked.id));

  return {
    demoApp: demo.id,
    draftApp: draft.id,
    foreignApp: foreign.id,
    orgToken: (await createApiToken(d, { organizationId: demo.organizationId }, 'org')).token,
    foreignToken: (await createApiToken(d, { appId: foreign.id }, 'foreign')).token,
    revokedToken: revoked.token,
    viewerToken: (await createApiToken(d, { appId: demo.id }, 'viewer', 'viewer')).token,
    master,
    production,
    other: await make(demo.id, { name: 'contract-other' }),
    unpublished: await make(demo.id, {
      name: 'contract-unpublished',
      active: true,
      triggers: manual,
    }),
    inactive: await make(demo.id, { name: 'contract-inactive', active: false, triggers: manual }),
    clientOnly: await make(demo.id, {
      name: 'contract-client',
      active: true,
      environment: 'client',
      triggers: manual,
    }),
    noManual: await make(demo.id, { name: 'contract-no-manual', active: true, triggers: [] }),
    legacy: legacy.id,
    digits: await make(demo.id, { name: '777777', active: false, triggers: manual }),
    draftAction: await make(draft.id, { name: 'draft-action', active: true, triggers: manual }),
    foreignAction: await make(foreign.id, { name: 'foreign-action' }),
    bookings: bookings.id,
    booking: booking.id,
    otherSource: await source(demo.id, 'Contract other'),
    foreignSource: await source(foreign.id, 'Foreign source'),
    mediaFile: media.id,
  };
}

/** Every process shares one budget per app; the table empties it so cases stay independent. */
async function resetRateLimits(): Promise<void> {
  await db().execute(sql`truncate rate_limits`);
}

// ---------------------------------------------------------------------------------------------
// The two ways in: REST in-process and the SDK over HTTP

/** Forwards loopback HTTP requests to the REST handler, as the web app's route does. */
function startBridge(): Promise<Server> {
  const bridge = createServer((req, res) => {
    forward(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  return new Promise((resolve) => bridge.listen(0, '127.0.0.1', () => resolve(bridge)));
}

async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk as Uint8Array));
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && chunks.length > 0;
  const response = await handleRest(
    new Request(`http://127.0.0.1${req.url ?? '/'}`, {
      method: req.method,
      headers,
      body: hasBody ? Buffer.concat(chunks) : undefined,
    }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

interface Caller {
  app: number;
  token: string | null;
}

type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; http: number; status: string; error: string; retryAfter: number | null };

interface RestCall {
  method: string;
  path: string;
  /** A value is sent as JSON; a `raw` string is sent as it is. */
  body?: unknown;
  raw?: string;
  caller?: Caller | 'public';
}

async function viaRest(call: RestCall, defaultCaller: Caller): Promise<Outcome> {
  const caller = call.caller ?? defaultCaller;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (caller !== 'public' && caller.token) headers['auth-token'] = caller.token;
  const body = call.raw ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  const response = await handleRest(
    new Request(`http://localhost${call.path}`, { method: call.method, headers, body }),
  );
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (response.ok) return { ok: true, value: parsed };
  const { status, error } = parsed as { status: string; error: string };
  const retryAfter = response.headers.get('retry-after');
  return { ok: false, http: response.status, status, error, retryAfter: numberOrNull(retryAfter) };
}

interface SdkCall {
  caller?: Caller;
  version?: RunVersion;
  call: (client: ActionsClient) => Promise<unknown>;
}

async function viaSdk(call: SdkCall, defaultCaller: Caller): Promise<Outcome> {
  const { app, token } = call.caller ?? defaultCaller;
  const client = createActionsClient({
    baseUrl,
    appId: app,
    token: token ?? '',
    version: call.version,
  });
  try {
    return { ok: true, value: await call.call(client) };
  } catch (error) {
    if (!(error instanceof ActionsApiError)) throw error;
    const retryAfter = numberOrNull(error.details.retryAfterSeconds);
    const { httpStatus: http, status } = error;
    return { ok: false, http, status, error: error.error, retryAfter };
  }
}

function numberOrNull(value: unknown): number | null {
  const number = Number(value);
  return value === null || value === undefined || !Number.isFinite(number) ? null : number;
}

function expectRefusal(outcome: Outcome, code: ErrorStatus): void {
  expect(outcome).toMatchObject({ ok: false, status: code, http: errorStatuses[code] });
  if (outcome.ok) return;
  expect(outcome.error.length).toBeGreaterThan(0);
  if (code === 'RATE_LIMITED') expect(outcome.retryAfter).toBeGreaterThanOrEqual(1);
}

// ---------------------------------------------------------------------------------------------
// Operations: one REST request and the SDK call that means the same

interface Op {
  operation: string;
  rest: RestCall;
  /** Absent when the SDK's types cannot express the request (a raw body, a bad query). */
  sdk?: SdkCall;
}

const actionsOf = (app: number) => `/v3/apps/${app}/actions`;
const sourcesOf = (app: number) => `/v3/apps/${app}/data-sources`;
const DEMO: Caller = { app: 1, token: DEV_TOKEN };

/** A JavaScript caller can hand the SDK anything; the tests do the same on purpose. */
const loose = <T>(value: Record<string, unknown>) => value as T;

const op = {
  list: (query = '', caller: Caller = DEMO): Op => ({
    operation: 'listActions',
    rest: { method: 'GET', path: `${actionsOf(caller.app)}${query}`, caller },
    sdk: query ? undefined : { caller, call: (c) => c.get() },
  }),
  create: (body: Record<string, unknown>, caller: Caller = DEMO): Op => ({
    operation: 'createAction',
    rest: { method: 'POST', path: actionsOf(caller.app), body, caller },
    sdk: { caller, call: (c) => c.create(loose<CreateActionInput>(body)) },
  }),
  createRaw: (raw: string): Op => ({
    operation: 'createAction',
    rest: { method: 'POST', path: actionsOf(1), raw },
  }),
  logs: (query = '', caller: Caller = DEMO): Op => ({
    operation: 'getLogs',
    rest: { method: 'GET', path: `${actionsOf(caller.app)}/logs${query}`, caller },
    sdk: query ? undefined : { caller, call: (c) => c.getLogs() },
  }),
  get: (id: number | string, caller: Caller = DEMO): Op => ({
    operation: 'getAction',
    rest: { method: 'GET', path: `${actionsOf(caller.app)}/${id}`, caller },
    sdk: typeof id === 'number' ? { caller, call: (c) => c.getById(id) } : undefined,
  }),
  update: (id: number, body: Record<string, unknown>, caller: Caller = DEMO): Op => ({
    operation: 'updateAction',
    rest: { method: 'PUT', path: `${actionsOf(caller.app)}/${id}`, body, caller },
    sdk: { caller, call: (c) => c.update(id, loose<UpdateActionInput>(body)) },
  }),
  updateRaw: (id: number, raw: string): Op => ({
    operation: 'updateAction',
    rest: { method: 'PUT', path: `${actionsOf(1)}/${id}`, raw },
  }),
  remove: (id: number, caller: Caller = DEMO): Op => ({
    operation: 'removeAction',
    rest: { method: 'DELETE', path: `${actionsOf(caller.app)}/${id}`, caller },
    sdk: { caller, call: (c) => c.remove(id) },
  }),
  publish: (id: number, caller: Caller = DEMO): Op => ({
    operation: 'publishAction',
    rest: { method: 'POST', path: `${actionsOf(caller.app)}/${id}/publish`, caller },
    sdk: { caller, call: (c) => c.publish(id) },
  }),
  unpublish: (id: number, caller: Caller = DEMO): Op => ({
    operation: 'unpublishAction',
    rest: { method: 'POST', path: `${actionsOf(caller.app)}/${id}/unpublish`, caller },
    sdk: { caller, call: (c) => c.unpublish(id) },
  }),
  run: (
    nameOrId: string | number,
    options: { payload?: unknown; version?: RunVersion; caller?: Caller; wait?: boolean } = {},
  ): Op => {
    const caller = options.caller ?? DEMO;
    const suffix = options.wait ? 'run-with-result' : 'run';
    const version = options.version ? `?version=${options.version}` : '';
    const { payload } = options;
    const path = `${actionsOf(caller.app)}/${encodeURIComponent(nameOrId)}/${suffix}${version}`;
    // Payloads that are not objects are among the cases: the SDK must pass them on as sent.
    const sdkPayload = payload as Record<string, unknown> | undefined;
    return {
      operation: options.wait ? 'runActionWithResult' : 'runAction',
      rest: { method: 'POST', path, body: payload, caller },
      sdk: {
        caller,
        version: options.version,
        call: (c) =>
          options.wait ? c.runWithResult(nameOrId, sdkPayload) : c.run(nameOrId, sdkPayload),
      },
    };
  },
  runRaw: (nameOrId: string, raw: string, wait = false): Op => ({
    operation: wait ? 'runActionWithResult' : 'runAction',
    rest: {
      method: 'POST',
      path: `${actionsOf(1)}/${nameOrId}/${wait ? 'run-with-result' : 'run'}?version=master`,
      raw,
    },
  }),
  clientActions: (query = '', caller: Caller = DEMO): Op => ({
    operation: 'listClientActions',
    rest: { method: 'GET', path: `/v3/apps/${caller.app}/client-actions${query}`, caller },
  }),
  clientRun: (id: number, body: unknown, caller: Caller = DEMO): Op => ({
    operation: 'reportClientRun',
    rest: { method: 'POST', path: `${actionsOf(caller.app)}/${id}/client-runs`, body, caller },
  }),
  compile: (id: number, caller: Caller = DEMO): Op => ({
    operation: 'compileAction',
    rest: { method: 'GET', path: `${actionsOf(caller.app)}/${id}/compile`, caller },
  }),
  sources: (caller: Caller = DEMO): Op => ({
    operation: 'listDataSources',
    rest: { method: 'GET', path: sourcesOf(caller.app), caller },
  }),
  createSource: (body: unknown, caller: Caller = DEMO): Op => ({
    operation: 'createDataSource',
    rest: { method: 'POST', path: sourcesOf(caller.app), body, caller },
  }),
  source: (id: number | string, caller: Caller = DEMO): Op => ({
    operation: 'getDataSource',
    rest: { method: 'GET', path: `${sourcesOf(caller.app)}/${id}`, caller },
  }),
  entries: (source: number | string, query = '', caller: Caller = DEMO): Op => ({
    operation: 'listEntries',
    rest: { method: 'GET', path: `${sourcesOf(caller.app)}/${source}/entries${query}`, caller },
  }),
  query: (source: number | string, body: unknown, caller: Caller = DEMO): Op => ({
    operation: 'queryEntries',
    rest: {
      method: 'POST',
      path: `${sourcesOf(caller.app)}/${source}/entries/query`,
      body,
      caller,
    },
  }),
  insert: (source: number | string, body: unknown, caller: Caller = DEMO): Op => ({
    operation: 'insertEntry',
    rest: { method: 'POST', path: `${sourcesOf(caller.app)}/${source}/entries`, body, caller },
  }),
  entry: (source: number | string, entry: number | string, caller: Caller = DEMO): Op => ({
    operation: 'getEntry',
    rest: { method: 'GET', path: `${sourcesOf(caller.app)}/${source}/entries/${entry}`, caller },
  }),
  updateEntry: (
    source: number | string,
    entry: number | string,
    body: unknown,
    caller: Caller = DEMO,
  ): Op => ({
    operation: 'updateEntry',
    rest: {
      method: 'PUT',
      path: `${sourcesOf(caller.app)}/${source}/entries/${entry}`,
      body,
      caller,
    },
  }),
  removeEntry: (source: number | string, entry: number | string, caller: Caller = DEMO): Op => ({
    operation: 'removeEntry',
    rest: {
      method: 'DELETE',
      path: `${sourcesOf(caller.app)}/${source}/entries/${entry}`,
      caller,
    },
  }),
  media: (id: number | string, caller: Caller = DEMO): Op => ({
    operation: 'getMediaFileContents',
    rest: { method: 'GET', path: `/v3/apps/${caller.app}/media/files/${id}/contents`, caller },
  }),
  preview: (query: string): Op => ({
    operation: 'previewSchedule',
    rest: { method: 'GET', path: `/v3/cron/preview?${query}`, caller: 'public' },
  }),
};

/** A run report the browser runtime could send for a manual run of `fx.clientOnly`. */
function clientRunReport(payload: unknown = {}): Record<string, unknown> {
  return {
    runId: randomUUID(),
    trigger: 'manual',
    payload,
    durationMs: 1,
    outcome: { ok: true, result: null },
  };
}

/** A representative call of each app operation, for the checks every operation shares. */
function sampleOf(operation: string, caller: Caller): Op {
  const samples: Record<string, () => Op> = {
    listActions: () => op.list('', caller),
    createAction: () => op.create({ name: 'sample', code: VALID_CODE }, caller),
    getLogs: () => op.logs('', caller),
    getAction: () => op.get(fx.master, caller),
    updateAction: () => op.update(fx.master, { active: true }, caller),
    removeAction: () => op.remove(fx.master, caller),
    publishAction: () => op.publish(fx.master, caller),
    unpublishAction: () => op.unpublish(fx.master, caller),
    runAction: () => op.run('contract-master', { caller }),
    runActionWithResult: () => op.run('contract-master', { caller, wait: true }),
    listClientActions: () => op.clientActions('', caller),
    reportClientRun: () => op.clientRun(fx.clientOnly, clientRunReport(), caller),
    compileAction: () => op.compile(fx.master, caller),
    listDataSources: () => op.sources(caller),
    createDataSource: () => op.createSource({ name: 'Sample source' }, caller),
    getDataSource: () => op.source(fx.bookings, caller),
    listEntries: () => op.entries(fx.bookings, '', caller),
    queryEntries: () => op.query(fx.bookings, { where: { Status: 'Pending' } }, caller),
    insertEntry: () => op.insert(fx.bookings, { data: { Name: 'Sample' } }, caller),
    getEntry: () => op.entry(fx.bookings, fx.booking, caller),
    updateEntry: () => op.updateEntry(fx.bookings, fx.booking, { data: { Seats: 1 } }, caller),
    removeEntry: () => op.removeEntry(fx.bookings, fx.booking, caller),
    getMediaFileContents: () => op.media(fx.mediaFile, caller),
  };
  const sample = samples[operation];
  if (!sample) throw new Error(`no sample call for ${operation}`);
  return sample();
}

const appOperations = apiOperations.filter((o): o is ApiOperation & { budget: string } =>
  Boolean(o.budget),
);

// ---------------------------------------------------------------------------------------------
// The tables

interface Case {
  label: string;
  code: ErrorStatus;
  op: () => Op;
}

/** Field faults, each tried on create (over a valid body) and on update (of a master). */
const fieldFaults: [string, Record<string, unknown>, ErrorStatus][] = [
  ['a null name', { name: null }, 'NAME_REQUIRED'],
  ['a name that is not a string', { name: 42 }, 'NAME_REQUIRED'],
  ['an empty name', { name: '' }, 'NAME_EMPTY'],
  ['a blank name', { name: '   ' }, 'NAME_EMPTY'],
  ['a name of 256 characters', { name: 'a'.repeat(256) }, 'NAME_TOO_LONG'],
  ['a name with a space', { name: 'two words' }, 'NAME_INVALID_CHARS'],
  ['a name with a dot', { name: 'v1.2' }, 'NAME_INVALID_CHARS'],
  ['a name another action has', { name: 'contract-other' }, 'NAME_ALREADY_EXISTS'],
  ['a null code', { code: null }, 'CODE_REQUIRED'],
  ['code that is not a string', { code: 7 }, 'CODE_REQUIRED'],
  ['blank code', { code: ' \n ' }, 'CODE_EMPTY'],
  ['code without execute', { code: 'async function main(context) {}' }, 'CODE_VALIDATION_FAILED'],
  ['an execute that is not async', { code: 'function execute(context) { return 1; }' },
    'CODE_VALIDATION_FAILED'],
  ['code with a syntax error', { code: 'async function execute(context) {' },
    'CODE_VALIDATION_FAILED'],
  ['a Fliplet API without its dependency',
    { code: 'async function execute(context) { return Fliplet.DataSources.connect(1); }' },
    'CODE_VALIDATION_FAILED'],
  ['code over the size limit', { code: `${VALID_CODE}//${'x'.repeat(CODE_MAX_BYTES)}` },
    'CODE_VALIDATION_FAILED'],
  ['active that is not a boolean', { active: 'yes' }, 'ACTIVE_INVALID'],
  ['an unknown environment', { environment: 'edge' }, 'ENVIRONMENT_INVALID'],
  ['triggers that are not an array', { triggers: { trigger: 'manual' } }, 'TRIGGERS_INVALID'],
  ['a trigger that is a string', { triggers: ['manual'] }, 'TRIGGERS_INVALID'],
  ['a where on a manual trigger', { triggers: [{ trigger: 'manual', where: { type: 'x' } }] },
    'TRIGGERS_INVALID'],
  ['a log trigger without where', { triggers: [{ trigger: 'log' }] }, 'TRIGGERS_INVALID'],
  ['a log trigger on an unknown event',
    { triggers: [{ trigger: 'log', where: { type: 'dataSource.entry.explode' } }] },
    'TRIGGERS_INVALID'],
  // An analytics filter is stored as jsonb: the JSON shape rules apply (server/json-shape.ts).
  ['an analytics filter nested 70 deep',
    { environment: 'any', triggers: [analyticsOn({ data: nested(70) })] }, 'TRIGGERS_INVALID'],
  ['an analytics filter with a NUL character',
    { environment: 'any', triggers: [analyticsOn({ data: { page: 'a\u0000' } })] },
    'TRIGGERS_INVALID'],
  ['an analytics filter with a lone surrogate',
    { environment: 'any', triggers: [analyticsOn({ data: { page: '\ud800' } })] },
    'TRIGGERS_INVALID'],
  ['an unknown trigger type', { triggers: [{ trigger: 'webhook' }] }, 'TRIGGER_TYPE_INVALID'],
  ['an analytics trigger on the server',
    {
      environment: 'server',
      triggers: [{ trigger: 'analytics', where: { type: 'analytics.event' } }],
    },
    'TRIGGER_NOT_ALLOWED'],
  ['a schedule trigger on the client',
    { environment: 'client', frequency: '0 8 * * 1', triggers: [{ trigger: 'schedule' }] },
    'TRIGGER_NOT_ALLOWED'],
  ['a log trigger on the client',
    { environment: 'client', triggers: [{ trigger: 'log', where: { type: 'app.view' } }] },
    'TRIGGER_NOT_ALLOWED'],
  ['a schedule trigger without a frequency', { triggers: [{ trigger: 'schedule' }] },
    'FREQUENCY_INVALID'],
  ['a frequency that is not cron', { frequency: 'every day' }, 'FREQUENCY_INVALID'],
  ['a frequency that is not a string', { frequency: 5 }, 'FREQUENCY_INVALID'],
  ['every minute', { frequency: '* * * * *' }, 'FREQUENCY_TOO_FREQUENT'],
  ['every minute spelled 0-59', { frequency: '0-59 * * * *' }, 'FREQUENCY_TOO_FREQUENT'],
  ['an unknown timezone', { timezone: 'Mars/Olympus_Mons' }, 'TIMEZONE_INVALID'],
  ['a timezone in the wrong case', { timezone: 'europe/london' }, 'TIMEZONE_INVALID'],
  ['dependencies that are not an array', { dependencies: 'fliplet-datasources' },
    'DEPENDENCIES_INVALID'],
  ['a dependency that is not a string', { dependencies: [1] }, 'DEPENDENCIES_INVALID'],
  ['an unknown dependency', { dependencies: ['left-pad'] }, 'DEPENDENCIES_INVALID'],
];

const overBodyLimit = { name: 'big', code: VALID_CODE, padding: 'x'.repeat(1024 * 1024) };

const refuse = (label: string, code: ErrorStatus, op: () => Op): Case => ({ label, code, op });

const createCases: Case[] = [
  ...fieldFaults.map(([label, patch, code]) =>
    refuse(`create with ${label}`, code, () =>
      op.create({ name: 'fresh-name', code: VALID_CODE, ...patch }),
    ),
  ),
  refuse('create without a name', 'NAME_REQUIRED', () => op.create({ code: VALID_CODE })),
  refuse('create without code', 'CODE_REQUIRED', () => op.create({ name: 'no-code' })),
  refuse('create with an array body', 'BAD_REQUEST', () => op.createRaw('[1]')),
  refuse('create with a body that is not JSON', 'BAD_REQUEST', () => op.createRaw('{')),
  refuse('create with a body over 1 MB', 'PAYLOAD_TOO_LARGE', () => op.create(overBodyLimit)),
];

const updateCases: Case[] = [
  ...fieldFaults.map(([label, patch, code]) =>
    refuse(`update with ${label}`, code, () => op.update(fx.master, patch)),
  ),
  refuse('update of an unknown id', 'ACTION_NOT_FOUND', () => op.update(999_999, {})),
  refuse('update of a legacy action', 'ACTION_NOT_V3', () => op.update(fx.legacy, {})),
  refuse('update of a production version', 'CANNOT_UPDATE_PRODUCTION', () =>
    op.update(fx.production, { active: false }),
  ),
  refuse('update with an array body', 'BAD_REQUEST', () => op.updateRaw(fx.master, '[]')),
  refuse('update with a body over 1 MB', 'PAYLOAD_TOO_LARGE', () =>
    op.update(fx.master, overBodyLimit),
  ),
];

const bigPayload = { text: 'x'.repeat(MAX_PAYLOAD) };
const deepPayload = (): Record<string, unknown> => {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < 70; i += 1) value = { next: value };
  return value;
};

/** The refusals shared by run and runWithResult, none of which reaches a runner. */
const runRefusals = (wait: boolean): Case[] => {
  const mode = wait ? 'runWithResult' : 'run';
  const suffix = wait ? 'run-with-result' : 'run';
  const operation = wait ? 'runActionWithResult' : 'runAction';
  const run = (nameOrId: string | number, options: Parameters<typeof op.run>[1] = {}) =>
    op.run(nameOrId, { ...options, wait });
  const master = { version: 'master' } as const;
  const raw = (path: string): Op => ({ operation, rest: { method: 'POST', path } });
  return [
    refuse(`${mode} of an unknown id`, 'ACTION_NOT_FOUND', () => run(999_999)),
    refuse(`${mode} of an unknown name`, 'ACTION_NOT_FOUND', () => run('no-such-action')),
    refuse(`${mode} of another app's action`, 'ACTION_NOT_FOUND', () =>
      run(fx.foreignAction, master),
    ),
    refuse(`${mode} of a legacy action by id`, 'ACTION_NOT_V3', () => run(fx.legacy)),
    refuse(`${mode} of a legacy action by name`, 'ACTION_NOT_V3', () => run('legacy-v2')),
    refuse(`${mode} of production when only a master exists`, 'ACTION_NOT_PUBLISHED', () =>
      run('contract-unpublished'),
    ),
    refuse(`${mode} of an inactive action`, 'ACTION_INACTIVE', () =>
      run('contract-inactive', master),
    ),
    // Found by its all-digit name although it looks like an id: it answers as inactive.
    refuse(`${mode} by an all-digit name that is no id`, 'ACTION_INACTIVE', () =>
      run('777777', master),
    ),
    refuse(`${mode} of a client-only action`, 'CLIENT_ACTION_NOT_RUNNABLE', () =>
      run(fx.clientOnly, master),
    ),
    refuse(`${mode} of an action without a manual trigger`, 'ACTION_NOT_RUNNABLE', () =>
      run('contract-no-manual', master),
    ),
    refuse(`${mode} with an array payload`, 'PAYLOAD_INVALID', () =>
      run('contract-master', { payload: [1] }),
    ),
    refuse(`${mode} with a string payload`, 'PAYLOAD_INVALID', () =>
      run('contract-master', { payload: 'hello' }),
    ),
    refuse(`${mode} with a payload nested 70 deep`, 'PAYLOAD_INVALID', () =>
      run('contract-master', { payload: deepPayload() }),
    ),
    refuse(`${mode} with a lone surrogate in the payload`, 'PAYLOAD_INVALID', () =>
      run('contract-master', { payload: { nested: { text: 'a\ud800' } } }),
    ),
    // No action can have such a name; looking it up must not fail the query.
    refuse(`${mode} of a name with a NUL character`, 'ACTION_NOT_FOUND', () =>
      run('contract\u0000master', master),
    ),
    refuse(`${mode} with a payload that is not JSON`, 'PAYLOAD_INVALID', () =>
      op.runRaw('contract-master', '{"a":', wait),
    ),
    refuse(`${mode} with a payload over the cap`, 'PAYLOAD_TOO_LARGE', () =>
      run('contract-master', { payload: bigPayload }),
    ),
    refuse(`${mode} with an unknown version`, 'BAD_REQUEST', () =>
      raw(`${actionsOf(1)}/contract-master/${suffix}?version=staging`),
    ),
    refuse(`${mode} with a malformed name in the address`, 'BAD_REQUEST', () =>
      raw(`${actionsOf(1)}/%E0%A4%A/${suffix}`),
    ),
  ];
};

const draftCaller = (): Caller => ({ app: fx.draftApp, token: fx.orgToken });
const past2to53 = '100000000000000000000';

function analyticsOn(where: Record<string, unknown>) {
  return { trigger: 'analytics', where: { type: 'analytics.event', ...where } };
}

/** `{ a: { a: … } }`, `depth` levels deep. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i += 1) value = { a: value };
  return value;
}

const otherCases: Case[] = [
  refuse('client actions of an unknown version', 'BAD_REQUEST', () =>
    op.clientActions('?version=draft'),
  ),
  refuse('a client run report that is not one', 'BAD_REQUEST', () =>
    op.clientRun(fx.clientOnly, { runId: 1 }),
  ),
  refuse('a client run report over the payload limit', 'PAYLOAD_TOO_LARGE', () =>
    op.clientRun(fx.clientOnly, clientRunReport({ big: 'x'.repeat(MAX_PAYLOAD) })),
  ),
  refuse('a client run report nested too deep', 'PAYLOAD_INVALID', () =>
    op.clientRun(fx.clientOnly, clientRunReport(nested(70))),
  ),
  refuse('a client run report of an unknown action', 'ACTION_NOT_FOUND', () =>
    op.clientRun(999_999, clientRunReport()),
  ),
  refuse('a client run report of another app\'s action', 'ACTION_NOT_FOUND', () =>
    op.clientRun(fx.foreignAction, clientRunReport()),
  ),
  refuse('a client run report of a legacy action', 'ACTION_NOT_V3', () =>
    op.clientRun(fx.legacy, clientRunReport()),
  ),
  refuse('a client run report of a server action', 'ACTION_NOT_RUNNABLE', () =>
    op.clientRun(fx.master, clientRunReport()),
  ),
  refuse('compile of an unknown id', 'ACTION_NOT_FOUND', () => op.compile(999_999)),
  refuse('compile of a legacy action', 'ACTION_NOT_V3', () => op.compile(fx.legacy)),
  refuse('list with a limit that is not whole', 'BAD_REQUEST', () => op.list('?limit=1.5')),
  refuse('list with an offset past 2^53', 'BAD_REQUEST', () => op.list(`?offset=${past2to53}`)),
  refuse('logs with an offset past 2^53', 'BAD_REQUEST', () => op.logs(`?offset=${past2to53}`)),
  refuse('logs with a limit that is not a number', 'BAD_REQUEST', () => op.logs('?limit=ten')),
  refuse('logs of an unknown type', 'BAD_REQUEST', () => {
    const misspelt: string = 'app.task.done';
    const sdk: SdkCall = { call: (c) => c.getLogs({ where: { type: misspelt as RunLogType } }) };
    return { ...op.logs(`?type=${misspelt}`), sdk };
  }),
  refuse('get of an unknown id', 'ACTION_NOT_FOUND', () => op.get(999_999)),
  refuse('get of id 0', 'ACTION_NOT_FOUND', () => op.get(0)),
  refuse('get of an id beyond any row', 'ACTION_NOT_FOUND', () => op.get(3_000_000_000)),
  refuse('get of a name instead of an id', 'ACTION_NOT_FOUND', () => op.get('hello-world')),
  refuse('get of another app\'s action', 'ACTION_NOT_FOUND', () => op.get(fx.foreignAction)),
  refuse('get of a legacy action', 'ACTION_NOT_V3', () => op.get(fx.legacy)),
  refuse('remove of an unknown id', 'ACTION_NOT_FOUND', () => op.remove(999_999)),
  refuse('remove of a legacy action', 'ACTION_NOT_V3', () => op.remove(fx.legacy)),
  refuse('remove of a production version', 'CANNOT_DELETE_PRODUCTION', () =>
    op.remove(fx.production),
  ),
  refuse('publish in an unpublished app', 'APP_NOT_PUBLISHED', () =>
    op.publish(fx.draftAction, draftCaller()),
  ),
  refuse('publish of an unknown id in an unpublished app', 'ACTION_NOT_FOUND', () =>
    op.publish(999_999, draftCaller()),
  ),
  refuse('publish of a legacy action', 'ACTION_NOT_V3', () => op.publish(fx.legacy)),
  refuse('publish of a production version', 'CANNOT_UPDATE_PRODUCTION', () =>
    op.publish(fx.production),
  ),
  refuse('unpublish of a master without production', 'ACTION_NOT_PUBLISHED', () =>
    op.unpublish(fx.unpublished),
  ),
  refuse('unpublish of an unknown id', 'ACTION_NOT_FOUND', () => op.unpublish(999_999)),
  refuse('unpublish of a legacy action', 'ACTION_NOT_V3', () => op.unpublish(fx.legacy)),
  refuse('unpublish of a production version', 'CANNOT_UPDATE_PRODUCTION', () =>
    op.unpublish(fx.production),
  ),
  ...runRefusals(false),
  ...runRefusals(true),
  refuse('a schedule preview of a bad expression', 'FREQUENCY_INVALID', () =>
    op.preview('frequency=60+*+*+*+*'),
  ),
  refuse('a schedule preview of every minute', 'FREQUENCY_TOO_FREQUENT', () =>
    op.preview('frequency=*+*+*+*+*'),
  ),
  refuse('a schedule preview in an unknown zone', 'TIMEZONE_INVALID', () =>
    op.preview('frequency=0+8+*+*+1&timezone=Nowhere/Land'),
  ),
  refuse('a schedule preview from a bad date', 'BAD_REQUEST', () =>
    op.preview('frequency=0+8+*+*+1&from=yesterday'),
  ),
  refuse('an address with no route', 'NOT_FOUND', () => ({
    operation: 'none',
    rest: { method: 'GET', path: '/v3/apps/1/nothing-here' },
  })),
  refuse('a method the address does not take', 'NOT_FOUND', () => ({
    operation: 'none',
    rest: { method: 'PATCH', path: `${actionsOf(1)}/1` },
  })),
];

const overDataLimit = { data: { padding: 'x'.repeat(1024 * 1024) } };

/** Refusals of the data source and media routes; none of them changes anything. */
const dataCases: Case[] = [
  refuse('create a data source with a taken name', 'NAME_ALREADY_EXISTS', () =>
    op.createSource({ name: 'Bookings' }),
  ),
  refuse('create a data source without a name', 'BAD_REQUEST', () => op.createSource({})),
  refuse('create a data source with an unknown key', 'BAD_REQUEST', () =>
    op.createSource({ name: 'Typo', colums: ['a'] }),
  ),
  refuse('create a data source with a body over 1 MB', 'PAYLOAD_TOO_LARGE', () =>
    op.createSource({ name: 'Big', columns: ['x'.repeat(1024 * 1024)] }),
  ),
  refuse('get an unknown data source', 'DATA_SOURCE_NOT_FOUND', () => op.source(999_999)),
  refuse('get a data source by name', 'DATA_SOURCE_NOT_FOUND', () => op.source('Bookings')),
  refuse('get another app\'s data source', 'DATA_SOURCE_NOT_FOUND', () =>
    op.source(fx.foreignSource),
  ),
  refuse('entries of an unknown data source', 'DATA_SOURCE_NOT_FOUND', () =>
    op.entries(3_000_000_000),
  ),
  refuse('entries with a limit that is not a number', 'BAD_REQUEST', () =>
    op.entries(fx.bookings, '?limit=ten'),
  ),
  refuse('a query with an unknown operator', 'BAD_REQUEST', () =>
    op.query(fx.bookings, { where: { Status: { $near: 1 } } }),
  ),
  refuse('a query with a misspelt option', 'BAD_REQUEST', () =>
    op.query(fx.bookings, { wher: {} }),
  ),
  refuse('a query of another app\'s data source', 'DATA_SOURCE_NOT_FOUND', () =>
    op.query(fx.foreignSource, {}),
  ),
  refuse('a query over 1 MB', 'PAYLOAD_TOO_LARGE', () =>
    op.query(fx.bookings, { where: { Name: 'x'.repeat(1024 * 1024) } }),
  ),
  refuse('insert without data', 'BAD_REQUEST', () => op.insert(fx.bookings, { Name: 'x' })),
  refuse('insert into an unknown data source', 'DATA_SOURCE_NOT_FOUND', () =>
    op.insert(999_999, { data: {} }),
  ),
  refuse('insert over 1 MB', 'PAYLOAD_TOO_LARGE', () => op.insert(fx.bookings, overDataLimit)),
  refuse('get an unknown entry', 'ENTRY_NOT_FOUND', () => op.entry(fx.bookings, 999_999)),
  refuse('get an entry by a word', 'ENTRY_NOT_FOUND', () => op.entry(fx.bookings, 'first')),
  refuse('get an entry of an unknown data source', 'DATA_SOURCE_NOT_FOUND', () =>
    op.entry(999_999, 'first'),
  ),
  refuse('update an entry of another data source', 'ENTRY_NOT_FOUND', () =>
    op.updateEntry(fx.otherSource, fx.booking, { data: { a: 1 } }),
  ),
  refuse('update an entry of an unknown data source', 'DATA_SOURCE_NOT_FOUND', () =>
    op.updateEntry(999_999, fx.booking, { data: { a: 1 } }),
  ),
  refuse('update with data that is not an object', 'BAD_REQUEST', () =>
    op.updateEntry(fx.bookings, fx.booking, { data: [1] }),
  ),
  refuse('update over 1 MB', 'PAYLOAD_TOO_LARGE', () =>
    op.updateEntry(fx.bookings, fx.booking, overDataLimit),
  ),
  refuse('remove an unknown entry', 'ENTRY_NOT_FOUND', () =>
    op.removeEntry(fx.bookings, 3_000_000_000),
  ),
  refuse('remove an entry of another app\'s data source', 'DATA_SOURCE_NOT_FOUND', () =>
    op.removeEntry(fx.foreignSource, fx.booking),
  ),
  refuse('contents of an unknown media file', 'NOT_FOUND', () => op.media(999_999)),
  refuse('contents of a media file named by a word', 'NOT_FOUND', () => op.media('logo.png')),
];

/**
 * Every app operation refuses a missing, wrong or revoked token, apps it cannot reach, and
 * (but reads) a token whose role lacks its permission.
 */
const accessCases: Case[] = appOperations.flatMap(({ operationId: id, errors }): Case[] => {
  const as = (caller: () => Caller) => () => sampleOf(id, caller());
  const withAppId = (appId: string) => (): Op => {
    const { rest } = sampleOf(id, DEMO);
    return { operation: id, rest: { ...rest, path: rest.path.replace('/apps/1/', appId) } };
  };
  return [
    refuse(`${id} without a token`, 'UNAUTHORIZED', as(() => ({ app: 1, token: null }))),
    refuse(`${id} with an unknown token`, 'UNAUTHORIZED', as(() => ({ app: 1, token: 'nope' }))),
    refuse(`${id} with a revoked token`, 'UNAUTHORIZED', as(() => ({
      app: 1,
      token: fx.revokedToken,
    }))),
    refuse(`${id} in another organisation's app`, 'APP_NOT_FOUND', as(() => ({
      app: fx.foreignApp,
      token: DEV_TOKEN,
    }))),
    refuse(`${id} with another app's token`, 'APP_NOT_FOUND', as(() => ({
      app: 1,
      token: fx.foreignToken,
    }))),
    refuse(`${id} in an app that does not exist`, 'APP_NOT_FOUND', as(() => ({
      app: 424_242,
      token: fx.orgToken,
    }))),
    refuse(`${id} with an app id that is not a number`, 'BAD_REQUEST', withAppId('/apps/one/')),
    // Reading is every role's; anything else is refused to a role without its permission.
    ...(!errors.includes('FORBIDDEN')
      ? []
      : [
          refuse(`${id} with a viewer token`, 'FORBIDDEN', as(() => ({
            app: 1,
            token: fx.viewerToken,
          }))),
        ]),
  ];
});

const tables: [string, Case[]][] = [
  ['create', createCases],
  ['update', updateCases],
  ['other operations', otherCases],
  ['data sources and media', dataCases],
  ['access', accessCases],
];

for (const [table, cases] of tables) {
  describe(`contract: ${table}`, () => {
    beforeEach(resetRateLimits);

    it.each(cases)('REST: $label → $code', async ({ op: build, code }) => {
      expectRefusal(await viaRest(build().rest, DEMO), code);
    });

    const sdkCases = cases.filter((c) => c.op().sdk !== undefined);
    it.each(sdkCases)('SDK: $label → $code', async ({ op: build, code }) => {
      const { sdk } = build();
      expect(sdk).toBeDefined();
      if (sdk) expectRefusal(await viaSdk(sdk, DEMO), code);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Rate limits

const budgetLimits = { crud: 60, run: 30, publish: 10 } as const;
type Budget = keyof typeof budgetLimits;

/** A call that spends one request of a budget and changes nothing. */
const harmless: Record<Budget, (caller: Caller) => Op> = {
  crud: (caller) => op.list('', caller),
  run: (caller) => op.run('no-such-action', { caller }),
  publish: (caller) => op.publish(999_999, caller),
};

describe('contract: rate limits', () => {
  beforeEach(resetRateLimits);

  it.each(Object.entries(budgetLimits) as [Budget, number][])(
    'the %s budget (%i a minute) runs out for that app only, on every route that spends it',
    async (budget, limit) => {
      for (let i = 0; i < limit; i += 1) {
        const outcome = await viaRest(harmless[budget](DEMO).rest, DEMO);
        expect(outcome.ok ? 'spent' : outcome.status).not.toBe('RATE_LIMITED');
      }
      const over = await viaRest(harmless[budget](DEMO).rest, DEMO);
      expectRefusal(over, 'RATE_LIMITED');
      const viaHttp = await viaSdk(harmlessSdk(budget), DEMO);
      expectRefusal(viaHttp, 'RATE_LIMITED');

      // Refused before any handler runs, so even the samples that write change nothing.
      for (const operation of appOperations.filter((o) => o.budget === budget)) {
        const outcome = await viaRest(sampleOf(operation.operationId, DEMO).rest, DEMO);
        expect({ operation: operation.operationId, ...outcome }).toMatchObject({
          operation: operation.operationId,
          status: 'RATE_LIMITED',
        });
      }
      for (const other of Object.keys(budgetLimits) as Budget[]) {
        if (other === budget) continue;
        const outcome = await viaRest(harmless[other](DEMO).rest, DEMO);
        expect(outcome.ok ? 'spent' : outcome.status).not.toBe('RATE_LIMITED');
      }

      const elsewhere: Caller = { app: fx.foreignApp, token: fx.foreignToken };
      const outcome = await viaRest(harmless[budget](elsewhere).rest, elsewhere);
      expect(outcome.ok ? 'spent' : outcome.status).not.toBe('RATE_LIMITED');
    },
  );

  it('keeps the counters in Postgres, where every web process reads them', async () => {
    await viaRest(op.list().rest, DEMO);
    const rows = await db().execute<{ key: string; points: number }>(
      sql`select key, points from rate_limits`,
    );
    expect([...rows]).toEqual([{ key: 'actions-crud:1', points: 1 }]);
  });
});

function harmlessSdk(budget: Budget): SdkCall {
  const sdk = harmless[budget](DEMO).sdk;
  if (!sdk) throw new Error(`no SDK form for the ${budget} sample`);
  return sdk;
}

// ---------------------------------------------------------------------------------------------
// Tokens

describe('contract: token scoping', () => {
  beforeEach(resetRateLimits);

  const listOf = async (caller: Caller) => viaSdk(op.list('', caller).sdk ?? fail(), caller);

  it('an app token reaches its own app and no other', async () => {
    const own = await listOf({ app: fx.foreignApp, token: fx.foreignToken });
    expect(own).toMatchObject({ ok: true });
    expectRefusal(await listOf({ app: 1, token: fx.foreignToken }), 'APP_NOT_FOUND');
    expectRefusal(await listOf({ app: fx.draftApp, token: fx.foreignToken }), 'APP_NOT_FOUND');
  });

  it('an organisation token reaches every app of its organisation and no other', async () => {
    expect(await listOf({ app: 1, token: fx.orgToken })).toMatchObject({ ok: true });
    expect(await listOf({ app: fx.draftApp, token: fx.orgToken })).toMatchObject({ ok: true });
    expectRefusal(await listOf({ app: fx.foreignApp, token: fx.orgToken }), 'APP_NOT_FOUND');
  });

  it('DEV_API_TOKEN reaches the demo app only', async () => {
    expect(await listOf(DEMO)).toMatchObject({ ok: true });
    expectRefusal(await listOf({ app: fx.draftApp, token: DEV_TOKEN }), 'APP_NOT_FOUND');
  });

  it('a revoked token is refused everywhere', async () => {
    expectRefusal(await listOf({ app: 1, token: fx.revokedToken }), 'UNAUTHORIZED');
  });
});

function fail(): never {
  throw new Error('expected an SDK form of this call');
}

// ---------------------------------------------------------------------------------------------
// Lifecycle, step by step through the SDK

describe('contract: lifecycle', () => {
  beforeEach(resetRateLimits);

  it('create, update, publish, republish, unpublish and remove', async () => {
    const [demo] = await db().select().from(apps).where(eq(apps.id, 1));
    const [app] = await db()
      .insert(apps)
      .values({ organizationId: demo?.organizationId ?? 0, name: 'Lifecycle app' })
      .returning();
    if (!app) throw new Error('app not stored');
    const sdk = createActionsClient({ baseUrl, appId: app.id, token: fx.orgToken });
    const refusal = async (promise: Promise<unknown>) => {
      const error: unknown = await promise.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ActionsApiError);
      return error instanceof ActionsApiError ? error.status : null;
    };

    const { action: created } = await sdk.create({
      name: 'lifecycle',
      code: 'async function execute(context) { return 1; }',
      triggers: [{ trigger: 'manual' }],
      active: true,
    });
    expect(created).toMatchObject({
      appId: app.id,
      name: 'lifecycle',
      actionVersion: 'v3',
      environment: 'server',
      dependencies: [],
      assets: [],
      frequency: null,
      timezone: null,
      lastRunAt: null,
    });
    expect(Object.keys(created)).toEqual([
      'id', 'appId', 'name', 'code', 'active', 'environment', 'actionVersion', 'triggers',
      'dependencies', 'assets', 'frequency', 'timezone', 'lastRunAt', 'createdAt', 'updatedAt',
    ]);

    const v2 = 'async function execute(context) { return 2; }';
    const withUnknownKey = { code: v2, unknownKey: 1 } as UpdateActionInput;
    const { action: updated } = await sdk.update(created.id, withUnknownKey);
    expect(updated).toMatchObject({ id: created.id, code: v2, active: true, name: 'lifecycle' });

    expect(await refusal(sdk.publish(created.id))).toBe('APP_NOT_PUBLISHED');
    await setAppPublished(db(), app.id, true);
    const { action: production } = await sdk.publish(created.id);
    expect(production.id).not.toBe(created.id);
    expect(production).toMatchObject({ name: 'lifecycle', code: v2, active: true });
    expect((await sdk.getById(production.id)).action.code).toBe(v2);

    const v3 = 'async function execute(context) { return 3; }';
    await sdk.update(created.id, { code: v3 });
    expect((await sdk.getById(production.id)).action.code).toBe(v2);
    expect(await refusal(sdk.update(production.id, { code: v3 }))).toBe('CANNOT_UPDATE_PRODUCTION');
    const { action: republished } = await sdk.publish(created.id);
    expect(republished).toMatchObject({ id: production.id, code: v3 });

    const listed = await sdk.get();
    expect(listed.actions.map((a) => a.id)).toEqual([created.id]);
    expect(listed.pagination).toMatchObject({ total: 1, hasMore: false });

    // Deactivating stops the live copy at once; reactivating waits for the next publish.
    await sdk.update(created.id, { active: false });
    expect((await sdk.getById(production.id)).action.active).toBe(false);
    await sdk.update(created.id, { active: true });
    expect((await sdk.getById(production.id)).action.active).toBe(false);
    expect((await sdk.publish(created.id)).action.active).toBe(true);

    await sdk.unpublish(created.id);
    expect(await refusal(sdk.getById(production.id))).toBe('ACTION_NOT_FOUND');
    expect((await sdk.getById(created.id)).action.code).toBe(v3);
    expect(await refusal(sdk.unpublish(created.id))).toBe('ACTION_NOT_PUBLISHED');

    const { action: again } = await sdk.publish(created.id);
    expect(await refusal(sdk.remove(again.id))).toBe('CANNOT_DELETE_PRODUCTION');
    await expect(sdk.remove(created.id)).resolves.toBeUndefined();
    expect(await refusal(sdk.getById(created.id))).toBe('ACTION_NOT_FOUND');
    expect(await refusal(sdk.getById(again.id))).toBe('ACTION_NOT_FOUND');
    expect((await sdk.get()).pagination.total).toBe(0);
  });

  it('pages the list and reports the page size it used', async () => {
    const sdk = createActionsClient({ baseUrl, appId: 1, token: DEV_TOKEN });
    const all = await sdk.get({ limit: 1000 });
    const { total } = all.pagination;
    expect(all.pagination).toEqual({ total, limit: 100, offset: 0, hasMore: total > 100 });
    expect(all.actions.some((a) => a.name === 'legacy-v2')).toBe(false);
    const page = await sdk.get({ limit: 2, offset: 1 });
    expect(page.actions.map((a) => a.id)).toEqual(all.actions.slice(1, 3).map((a) => a.id));
    expect(page.pagination).toEqual({ total, limit: 2, offset: 1, hasMore: total > 3 });
  });
});

// ---------------------------------------------------------------------------------------------
// Run logs

describe('contract: run logs', () => {
  beforeEach(resetRateLimits);

  it('filters by action, type and taskId, newest first, 50 by default', async () => {
    const caller: Caller = { app: fx.foreignApp, token: fx.foreignToken };
    const production = (await publishAction(db(), fx.foreignApp, fx.foreignAction)).id;
    const rows = Array.from({ length: 55 }, (_, i) => {
      const live = i % 2 === 0;
      const taskId = live ? production : fx.foreignAction;
      return {
        appId: fx.foreignApp,
        masterId: fx.foreignAction,
        runId: randomUUID(),
        type: i % 3 === 0 ? 'app.task.failed' : 'app.task.completed',
        version: live ? 'production' : 'master',
        codeHash: 'test',
        data: { mode: 'on-demand', runOn: 'server', taskId, payload: { i }, duration: 1,
          actionVersion: 'v3' },
      };
    });
    await db().insert(actionLogs).values(rows);
    const sdk = createActionsClient({ baseUrl, appId: fx.foreignApp, token: fx.foreignToken });

    const first = await sdk.getLogs();
    expect(first.count).toBe(50);
    const ids = first.logs.map((l) => l.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(first.logs[0]?.data.payload).toEqual({ i: 54 });
    expect(Object.keys(first.logs[0] ?? {})).toEqual(['id', 'type', 'createdAt', 'data']);

    expect((await sdk.getLogs({ id: fx.foreignAction, limit: 100 })).count).toBe(55);
    expect((await sdk.getLogs({ id: 3_000_000_000 })).count).toBe(0);
    expect((await sdk.getLogs({ id: production, limit: 100 })).count).toBe(28);
    const failed = await sdk.getLogs({ where: { type: 'app.task.failed' }, limit: 100 });
    expect(failed.count).toBe(19);
    expect(failed.logs.every((l) => l.type === 'app.task.failed')).toBe(true);
    const live = await sdk.getLogs({ where: { data: { taskId: production } }, limit: 100 });
    expect(live.count).toBe(28);
    const page = await sdk.getLogs({ limit: 10, offset: 50 });
    expect(page.count).toBe(5);

    // The REST aliases mean the same as the SDK's query.
    const query = `?id=${fx.foreignAction}&where[type]=app.task.failed`
      + `&where[data][taskId]=${production}&limit=100`;
    const rest = await viaRest(op.logs(query, caller).rest, caller);
    const both = await sdk.getLogs({
      id: fx.foreignAction,
      where: { type: 'app.task.failed', data: { taskId: production } },
      limit: 100,
    });
    expect(rest).toEqual({ ok: true, value: both });
    expect(both.count).toBe(10);
  });
});

// ---------------------------------------------------------------------------------------------
// The SDK's own behaviour

describe('contract: SDK', () => {
  beforeEach(resetRateLimits);

  it('rejects with the REST body\'s fields, extra fields kept in details', async () => {
    const sdk = createActionsClient({ baseUrl, appId: 1, token: DEV_TOKEN });
    const error: unknown = await sdk
      .create({ name: 'lint-me', code: 'function execute(context) {}' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionsApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ActionsApiError',
      status: 'CODE_VALIDATION_FAILED',
      httpStatus: 400,
      details: { issues: [expect.objectContaining({ code: 'not-async' })] },
    });
  });

  it('answers UNEXPECTED_RESPONSE when something other than the API answers', async () => {
    const wrongPath = `${baseUrl}/elsewhere`;
    const sdk = createActionsClient({ baseUrl: wrongPath, appId: 1, token: DEV_TOKEN });
    await expect(sdk.get()).rejects.toMatchObject({ status: 'NOT_FOUND', httpStatus: 404 });
    const stray = createServer((_req, res) => res.writeHead(502).end('<html>bad gateway</html>'));
    await new Promise<void>((resolve) => stray.listen(0, '127.0.0.1', resolve));
    try {
      const port = (stray.address() as AddressInfo).port;
      const strayUrl = `http://127.0.0.1:${port}`;
      const lost = createActionsClient({ baseUrl: strayUrl, appId: 1, token: 't' });
      await expect(lost.get()).rejects.toMatchObject({
        status: 'UNEXPECTED_RESPONSE',
        httpStatus: 502,
      });
    } finally {
      await new Promise<void>((resolve) => stray.close(() => resolve()));
    }
  });

  it('refuses a bad appId or version before any request', () => {
    expect(() => createActionsClient({ baseUrl, appId: 0, token: 't' })).toThrow(TypeError);
    expect(() =>
      createActionsClient({ baseUrl, appId: 1, token: 't', version: 'staging' as RunVersion }),
    ).toThrow(TypeError);
  });
});

describe('contract: browser SDK', () => {
  beforeEach(resetRateLimits);

  interface BrowserActions extends ActionsClient {
    configure(config: { appId: number; token: string; baseUrl?: string }): void;
    ActionsApiError: new (...args: never[]) => Error;
  }

  /** Runs the served bundle in a fresh realm with just enough of a page around it. */
  async function loadBundle(dataset: Record<string, string>): Promise<BrowserActions> {
    const { code } = await browserBundle();
    class HTMLScriptElement {
      readonly src = `${baseUrl}/sdk/actions.js`;
      readonly dataset = dataset;
    }
    const page: Record<string, unknown> = {
      fetch,
      URL,
      URLSearchParams,
      HTMLScriptElement,
      location: { origin: 'http://127.0.0.1:1', href: 'http://127.0.0.1:1/app' },
      document: { currentScript: new HTMLScriptElement() },
      Fliplet: { Keep: true },
    };
    runInNewContext(code, page);
    const fliplet = page.Fliplet as { Keep: boolean; App: { V3: { Actions: BrowserActions } } };
    expect(fliplet.Keep).toBe(true);
    return fliplet.App.V3.Actions;
  }

  it('is configured by its script tag and talks to the origin it came from', async () => {
    const actions = await loadBundle({ appId: '1', token: DEV_TOKEN });
    const { action } = await actions.getById(fx.master);
    expect(action.name).toBe('contract-master');
    const error: unknown = await actions.getById(999_999).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(actions.ActionsApiError);
    expect(error).toMatchObject({ status: 'ACTION_NOT_FOUND', httpStatus: 404 });
    expect(Object.keys(actions).sort()).toEqual([
      'ActionsApiError', 'configure', 'create', 'get', 'getById', 'getLogs', 'publish', 'remove',
      'run', 'runWithResult', 'unpublish', 'update',
    ]);
  });

  it('waits for configure() when the tag carries no token', async () => {
    const actions = await loadBundle({});
    await expect(actions.get()).rejects.toThrow(/not configured/);
    actions.configure({ appId: fx.foreignApp, token: fx.foreignToken });
    const { actions: listed } = await actions.get();
    expect(listed.map((a) => a.name)).toEqual(['foreign-action']);
  });
});

// ---------------------------------------------------------------------------------------------
// Runs on a real runner: few, and short (the time limit is 1 s here)

const runnerActions: Record<string, string> = {
  'contract-echo': 'async function execute(context) { return { got: context.payload }; }',
  'contract-throws':
    'async function execute(context) { throw new TypeError("no " + context.payload.what); }',
  'contract-hangs': 'async function execute(context) { await new Promise(() => {}); }',
  'contract-huge': 'async function execute(context) { return "x".repeat(6 * 1024 * 1024); }',
};

const onMaster = { wait: true, version: 'master' } as const;

const runnerCases: Case[] = [
  refuse('runWithResult of an action that throws', 'EXECUTION_FAILED', () =>
    op.run('contract-throws', { ...onMaster, payload: { what: 'x' } }),
  ),
  refuse('runWithResult of an action that never settles', 'EXECUTION_TIMEOUT', () =>
    op.run('contract-hangs', onMaster),
  ),
  refuse('runWithResult of a result over 6 MB', 'RESULT_TOO_LARGE', () =>
    op.run('contract-huge', onMaster),
  ),
];

describe('contract: runs on a real runner', () => {
  let runner: RunnerProcess | undefined;

  beforeAll(async () => {
    for (const [name, code] of Object.entries(runnerActions)) {
      await createAction(db(), 1, { name, code, active: true, triggers: [{ trigger: 'manual' }] });
    }
    runner = await startRunner(database.url, { ACTIONS_SERVER_TIMEOUT_MS: SERVER_TIMEOUT_MS });
  });

  afterAll(async () => {
    await runner?.stop();
  });

  beforeEach(resetRateLimits);

  it.each(runnerCases)('REST: $label → $code', async ({ op: build, code }) => {
    expectRefusal(await viaRest(build().rest, DEMO), code);
  });

  it.each(runnerCases)('SDK: $label → $code', async ({ op: build, code }) => {
    expectRefusal(await viaSdk(build().sdk ?? fail(), DEMO), code);
  });

  it('runWithResult resolves with the return value; run resolves once queued', async () => {
    const sdk = createActionsClient({ baseUrl, appId: 1, token: DEV_TOKEN, version: 'master' });
    await expect(sdk.runWithResult('contract-echo', { n: 1 })).resolves.toEqual({ got: { n: 1 } });
    await expect(sdk.runWithResult('contract-echo')).resolves.toEqual({ got: {} });
    await expect(sdk.run('contract-echo', { n: 2 })).resolves.toBeUndefined();
    await expect
      .poll(async () => {
        const { logs } = await sdk.getLogs({ limit: 5 });
        return logs.find((l) => JSON.stringify(l.data.payload) === '{"n":2}')?.type;
      }, { timeout: 10_000 })
      .toBe('app.task.completed');
  });

  it('production runs the published copy until the master is published again', async () => {
    const sdk = createActionsClient({ baseUrl, appId: 1, token: DEV_TOKEN });
    const master = createActionsClient({ baseUrl, appId: 1, token: DEV_TOKEN, version: 'master' });
    const code = (n: number) => `async function execute(context) { return ${n}; }`;
    const { action } = await sdk.create({
      name: 'contract-versions',
      code: code(1),
      active: true,
      triggers: [{ trigger: 'manual' }],
    });
    const { action: production } = await sdk.publish(action.id);
    await sdk.update(action.id, { code: code(2) });
    expect(await sdk.runWithResult('contract-versions')).toBe(1);
    expect(await sdk.runWithResult(production.id)).toBe(1);
    expect(await master.runWithResult(action.id)).toBe(2);
    await sdk.publish(action.id);
    expect(await sdk.runWithResult(action.id)).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// The tables against the OpenAPI document

describe('contract: coverage', () => {
  const allCases = [...tables.flatMap(([, cases]) => cases), ...runnerCases];
  /** A database fault and a publish whose write returns nothing cannot be caused from outside. */
  const unreachable = new Set<ErrorStatus>(['INTERNAL_ERROR', 'PUBLISH_FAILED']);

  it('asks every operation for every code the OpenAPI document lists', () => {
    const asked = new Set(allCases.map((c) => `${c.op().operation} ${c.code}`));
    // The rate-limit tests ask each operation of each budget.
    for (const operation of appOperations) asked.add(`${operation.operationId} RATE_LIMITED`);
    const declared = apiOperations.flatMap((o) =>
      o.errors.filter((code) => !unreachable.has(code)).map((code) => `${o.operationId} ${code}`),
    );
    expect([...new Set(declared)].filter((key) => !asked.has(key))).toEqual([]);
  });

  it('lists in the OpenAPI document every code the tables see', () => {
    const byId = new Map(apiOperations.map((o) => [o.operationId, o]));
    const undeclared = allCases.filter((c) => {
      const { operation } = c.op();
      return operation !== 'none' && !byId.get(operation)?.errors.includes(c.code);
    });
    expect(undeclared.map((c) => `${c.op().operation}: ${c.label} → ${c.code}`)).toEqual([]);
    expect(openApiDocument()).toHaveProperty('openapi', '3.1.0');
  });
});
