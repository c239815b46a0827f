/**
 * Every role against every tRPC procedure and every REST route: allowed, refused (FORBIDDEN),
 * or not found for an app or organisation the caller has no role on. Procedures and routes are
 * read from the router and the route table, so a new one fails here until it has an entry.
 */
import { randomUUID } from 'node:crypto';

import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createActionFields } from '../fixtures';
import { createInnerContext } from '../../server/api/context';
import { handleRest } from '../../server/api/rest/handler';
import { appRoutes } from '../../server/api/rest/routes';
import { appRouter, createCaller } from '../../server/api/root';
import { createApiToken } from '../../server/api/tokens';
import { createAction, publishAction } from '../../server/actions/service';
import { roles, type Permission, type Role } from '../../server/auth/permissions';
import { db } from '../../server/db/client';
import { actionLogs, apps, organizations, smsOutbox } from '../../server/db/schema';
import { createDataSource, insertEntry } from '../../server/platform/datasources/service';
import { isAppError } from '../../server/errors';
import { contextFor, createTestUser, type TestUser } from '../accounts';
import { createTestDatabase, type TestDatabase } from '../harness';

/** What each procedure needs; `user`: scoped to the caller's own memberships; `public`: none. */
const procedurePermissions: Record<string, Permission | 'user' | 'public'> = {
  'apps.list': 'user',
  'apps.get': 'read',
  'apps.setPublished': 'manage',
  'actions.list': 'read',
  'actions.overview': 'read',
  'actions.get': 'read',
  'actions.create': 'edit',
  'actions.update': 'edit',
  'actions.remove': 'edit',
  'actions.publish': 'publish',
  'actions.unpublish': 'publish',
  'actions.versions': 'read',
  'actions.restore': 'edit',
  'runs.test': 'run',
  'runs.logs': 'read',
  'runs.explore': 'read',
  'runs.chart': 'read',
  'runs.get': 'read',
  'runs.rerun': 'rerun',
  'dataSources.list': 'read',
  'dataSources.entries': 'read',
  'dataSources.createEntry': 'edit',
  'dataSources.updateEntry': 'edit',
  'dataSources.removeEntry': 'edit',
  'auth.me': 'public',
  'users.list': 'manage',
  'users.create': 'manage',
  'users.setRole': 'manage',
  'users.remove': 'manage',
  'tokens.list': 'manage',
  'tokens.create': 'manage',
  'tokens.revoke': 'manage',
  'audit.list': 'manage',
  'outbox.overview': 'read',
  'outbox.list': 'read',
  'outbox.get': 'read',
};

/** What each REST route needs of its token's role. */
const routePermissions: Record<string, Permission> = {
  'GET /v3/apps/:appId/actions': 'read',
  'POST /v3/apps/:appId/actions': 'edit',
  'GET /v3/apps/:appId/actions/logs': 'read',
  'GET /v3/apps/:appId/actions/:id': 'read',
  'PUT /v3/apps/:appId/actions/:id': 'edit',
  'DELETE /v3/apps/:appId/actions/:id': 'edit',
  'POST /v3/apps/:appId/actions/:id/publish': 'publish',
  'POST /v3/apps/:appId/actions/:id/unpublish': 'publish',
  'POST /v3/apps/:appId/actions/:nameOrId/run': 'run',
  'POST /v3/apps/:appId/actions/:nameOrId/run-with-result': 'run',
  'GET /v3/apps/:appId/client-actions': 'read',
  'POST /v3/apps/:appId/actions/:id/client-runs': 'run',
  'GET /v3/apps/:appId/actions/:id/compile': 'read',
  'GET /v3/apps/:appId/data-sources': 'read',
  'POST /v3/apps/:appId/data-sources': 'edit',
  'GET /v3/apps/:appId/data-sources/:id': 'read',
  'GET /v3/apps/:appId/data-sources/:id/entries': 'read',
  'POST /v3/apps/:appId/data-sources/:id/entries/query': 'read',
  'POST /v3/apps/:appId/data-sources/:id/entries': 'edit',
  'GET /v3/apps/:appId/data-sources/:id/entries/:entryId': 'read',
  'PUT /v3/apps/:appId/data-sources/:id/entries/:entryId': 'edit',
  'DELETE /v3/apps/:appId/data-sources/:id/entries/:entryId': 'edit',
  'GET /v3/apps/:appId/media/files/:id/contents': 'read',
};

/**
 * Calls that pass the role check and then fail in the service, on purpose: running a missing
 * action answers at once, where running a real one would wait for a runner these tests lack.
 */
const expectedServiceErrors: Record<string, string> = {
  'runs.test': 'ACTION_NOT_FOUND',
  'POST /v3/apps/:appId/actions/:nameOrId/run-with-result': 'ACTION_NOT_FOUND',
  'POST /v3/apps/:appId/actions/:id/client-runs': 'BAD_REQUEST',
  // No media bytes are stored by these tests; a missing file answers past the role check.
  'GET /v3/apps/:appId/media/files/:id/contents': 'NOT_FOUND',
};

type Outcome = 'allowed' | 'forbidden' | 'not found' | 'unauthorized';

interface World {
  orgA: number;
  orgB: number;
  /** In organisation A: the app that app-level members have a role on, and another. */
  appA1: number;
  appA2: number;
  /** In organisation B. */
  appB1: number;
}

let database: TestDatabase;
let world: World;

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.ACTIONS_RATE_LIMIT_CRUD = '100000';
  process.env.ACTIONS_RATE_LIMIT_RUN = '100000';
  process.env.ACTIONS_RATE_LIMIT_PUBLISH = '100000';
  world = await createWorld();
});

afterAll(async () => {
  await db().$client.end();
  await database?.drop();
});

async function createWorld(): Promise<World> {
  const [orgA] = await db().insert(organizations).values({ name: 'Org A' }).returning();
  const [orgB] = await db().insert(organizations).values({ name: 'Org B' }).returning();
  if (!orgA || !orgB) throw new Error('organisations not stored');
  const app = async (organizationId: number, name: string) => {
    const [row] = await db()
      .insert(apps)
      .values({ organizationId, name, publishedAt: new Date() })
      .returning();
    if (!row) throw new Error('app not stored');
    return row.id;
  };
  return {
    orgA: orgA.id,
    orgB: orgB.id,
    appA1: await app(orgA.id, 'A1'),
    appA2: await app(orgA.id, 'A2'),
    appB1: await app(orgB.id, 'B1'),
  };
}

// ---- fixtures the inputs point at, created in whichever app or organisation a call targets ---

async function newAction(appId: number, published = false): Promise<number> {
  const action = await createAction(db(), appId, createActionFields());
  if (published) await publishAction(db(), appId, action.id);
  return action.id;
}

async function newRunLog(appId: number): Promise<number> {
  const masterId = await newAction(appId);
  const [row] = await db()
    .insert(actionLogs)
    .values({
      appId,
      masterId,
      runId: randomUUID(),
      type: 'app.task.failed',
      data: { payload: { n: 1 }, error: { message: 'boom' } },
      version: 'master',
      codeHash: '',
    })
    .returning();
  if (!row) throw new Error('run log not stored');
  return row.id;
}

async function newSms(appId: number): Promise<number> {
  const [row] = await db()
    .insert(smsOutbox)
    .values({ appId, to: '+353861234567', body: 'Hi', status: 'stored' })
    .returning();
  if (!row) throw new Error('SMS not stored');
  return row.id;
}

/** A data source of the app with one entry. */
async function newEntry(appId: number): Promise<{ dataSourceId: number; entryId: number }> {
  const source = await createDataSource(db(), { appId }, { name: `Source ${randomUUID()}` });
  const scope = { appId, organizationId: organizationOf(appId) };
  const entry = await insertEntry(db(), scope, source.id, { Name: 'Ada' });
  return { dataSourceId: source.id, entryId: entry.id };
}

async function newDataSource(appId: number): Promise<number> {
  return (await newEntry(appId)).dataSourceId;
}

function organizationOf(appId: number): number {
  return appId === world.appB1 ? world.orgB : world.orgA;
}

async function newMember(organizationId: number): Promise<string> {
  const user = await createTestUser(db(), { organizations: [[organizationId, 'viewer']] });
  return user.id;
}

interface Target {
  appId: number;
  organizationId: number;
}

const MISSING_ACTION = 2_000_000_000;

/** A valid input per procedure, for the app (or organisation) a call is aimed at. */
const procedureInputs: Record<string, (target: Target) => Promise<unknown>> = {
  'apps.list': async () => undefined,
  'apps.get': async ({ appId }) => ({ appId }),
  'apps.setPublished': async ({ appId }) => ({ appId, published: true }),
  'actions.list': async ({ appId }) => ({ appId }),
  'actions.overview': async ({ appId }) => ({ appId }),
  'actions.get': async ({ appId }) => ({ appId, id: await newAction(appId) }),
  'actions.create': async ({ appId }) => ({ appId, data: createActionFields() }),
  'actions.update': async ({ appId }) => ({
    appId,
    id: await newAction(appId),
    data: { code: 'async function execute(context) {\n  return 2;\n}\n' },
  }),
  'actions.remove': async ({ appId }) => ({ appId, id: await newAction(appId) }),
  'actions.publish': async ({ appId }) => ({ appId, id: await newAction(appId) }),
  'actions.unpublish': async ({ appId }) => ({ appId, id: await newAction(appId, true) }),
  'actions.versions': async ({ appId }) => ({ appId, id: await newAction(appId) }),
  'actions.restore': async ({ appId }) => {
    const id = await newAction(appId);
    const [version] = await createCaller(await adminOf(appId)).actions.versions({ appId, id });
    if (!version) throw new Error('no version to restore');
    return { appId, versionId: version.id };
  },
  'runs.test': async ({ appId }) => ({ appId, id: MISSING_ACTION, payload: {} }),
  'runs.logs': async ({ appId }) => ({ appId }),
  'runs.explore': async ({ appId }) => ({ appId }),
  'runs.chart': async ({ appId }) => ({ appId }),
  'runs.get': async ({ appId }) => ({ appId, logId: await newRunLog(appId) }),
  'runs.rerun': async ({ appId }) => ({
    appId,
    logId: await newRunLog(appId),
    on: 'master',
    wait: false,
  }),
  'dataSources.list': async ({ appId }) => ({ appId }),
  'dataSources.entries': async ({ appId }) => ({ appId, dataSourceId: await newDataSource(appId) }),
  'dataSources.createEntry': async ({ appId }) => ({
    appId,
    dataSourceId: await newDataSource(appId),
    data: { Name: 'Grace' },
  }),
  'dataSources.updateEntry': async ({ appId }) => ({
    appId,
    ...(await newEntry(appId)),
    data: { Name: 'Grace' },
  }),
  'dataSources.removeEntry': async ({ appId }) => ({ appId, ...(await newEntry(appId)) }),
  'auth.me': async () => undefined,
  'users.list': async ({ organizationId }) => ({ organizationId }),
  'users.create': async ({ organizationId }) => ({
    organizationId,
    email: `new-${randomUUID().slice(0, 8)}@example.com`,
    name: 'New person',
    role: 'viewer',
  }),
  'users.setRole': async ({ organizationId }) => ({
    organizationId,
    userId: await newMember(organizationId),
    role: 'support',
  }),
  'users.remove': async ({ organizationId }) => ({
    organizationId,
    userId: await newMember(organizationId),
  }),
  'tokens.list': async ({ organizationId }) => ({ organizationId }),
  'tokens.create': async ({ organizationId }) => ({
    organizationId,
    name: 'ci',
    role: 'viewer',
  }),
  'tokens.revoke': async ({ organizationId }) => ({
    organizationId,
    id: (await createApiToken(db(), { organizationId }, 'to revoke')).id,
  }),
  'audit.list': async ({ organizationId }) => ({ organizationId }),
  'outbox.overview': async ({ appId }) => ({ appId }),
  'outbox.list': async ({ appId }) => ({ appId, kind: 'email' }),
  'outbox.get': async ({ appId }) => ({ appId, kind: 'sms', id: await newSms(appId) }),
};

/** A context for an admin of the app's organisation, to prepare fixtures through tRPC. */
async function adminOf(appId: number) {
  const organizationId = organizationOf(appId);
  const admin = await createTestUser(db(), { organizations: [[organizationId, 'admin']] });
  return contextFor(db(), admin);
}

// ---- calling and classifying ------------------------------------------------------------------

const serviceErrors: string[] = [];

function classify(key: string, status: string): Outcome {
  if (status === 'UNAUTHORIZED') return 'unauthorized';
  if (status === 'FORBIDDEN') return 'forbidden';
  if (status === 'APP_NOT_FOUND' || status === 'ORGANIZATION_NOT_FOUND') return 'not found';
  // Anything else came from the service, past the role check.
  if (expectedServiceErrors[key] !== status) serviceErrors.push(`${key}: ${status}`);
  return 'allowed';
}

type ProcedureFn = (input: unknown) => Promise<unknown>;

function procedureOf(caller: ReturnType<typeof createCaller>, path: string): ProcedureFn {
  const [area, name] = path.split('.');
  const group: unknown = area ? Reflect.get(caller, area) : undefined;
  const fn: unknown = group && name ? Reflect.get(Object(group), name) : undefined;
  if (typeof fn !== 'function') throw new Error(`no procedure ${path} on the caller`);
  return (input) => Promise.resolve(Reflect.apply(fn, group, [input]));
}

async function callProcedure(path: string, user: TestUser | null, target: Target) {
  const ctx = user ? contextFor(db(), user) : createInnerContext(db(), null);
  const input = await procedureInputs[path]?.(target);
  try {
    await procedureOf(createCaller(ctx), path)(input);
    return 'allowed';
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const status = isAppError(error.cause) ? error.cause.status : error.code;
    return classify(path, status);
  }
}

/**
 * The roles as the brief defines them, written out here rather than read from the product's
 * table, so a change there shows up as a failure here.
 */
const grants: Record<Role, Permission[]> = {
  admin: ['read', 'edit', 'run', 'publish', 'rerun', 'manage'],
  builder: ['read', 'edit', 'run', 'publish', 'rerun'],
  support: ['read', 'rerun'],
  viewer: ['read'],
};

function expectedFor(permission: Permission, role: Role): Outcome {
  return grants[role].includes(permission) ? 'allowed' : 'forbidden';
}

// ---- tRPC -------------------------------------------------------------------------------------

const procedures = Object.entries(appRouter._def.procedures).map(([path, procedure]) => ({
  path,
  type: Reflect.get(Object(Reflect.get(Object(procedure), '_def')), 'type'),
}));

describe('[ROLES]: tRPC procedures', () => {
  it('every procedure has an expected permission and an input here', () => {
    const paths = procedures.map((p) => p.path).sort();
    expect(Object.keys(procedurePermissions).sort()).toEqual(paths);
    expect(Object.keys(procedureInputs).sort()).toEqual(paths);
  });

  it.each(procedures.map((p) => p.path))('%s answers each role as the table says', async (path) => {
    const permission = procedurePermissions[path];
    if (!permission) throw new Error(`no expected permission for ${path}`);
    const own = { appId: world.appA1, organizationId: world.orgA };
    const sibling = { appId: world.appA2, organizationId: world.orgA };
    const foreign = { appId: world.appB1, organizationId: world.orgB };
    const seen: Record<string, Outcome> = {};
    const expected: Record<string, Outcome> = {};

    seen['signed out'] = await callProcedure(path, null, own);
    expected['signed out'] = permission === 'public' ? 'allowed' : 'unauthorized';

    for (const role of roles) {
      const orgMember = await createTestUser(db(), { organizations: [[world.orgA, role]] });
      const appMember = await createTestUser(db(), { apps: [[world.appA1, role]] });
      seen[`${role} of the org, own app`] = await callProcedure(path, orgMember, own);
      seen[`${role} of the org, other app of the org`] = await callProcedure(
        path,
        orgMember,
        sibling,
      );
      seen[`${role} of the org, other org`] = await callProcedure(path, orgMember, foreign);
      seen[`${role} of one app, that app`] = await callProcedure(path, appMember, own);
      seen[`${role} of one app, other app of the org`] = await callProcedure(
        path,
        appMember,
        sibling,
      );
      seen[`${role} of one app, other org`] = await callProcedure(path, appMember, foreign);

      if (permission === 'public' || permission === 'user') {
        for (const key of Object.keys(seen).filter((k) => k.startsWith(`${role} `))) {
          expected[key] = 'allowed';
        }
        continue;
      }
      const byRole = expectedFor(permission, role);
      const orgScoped = procedureInputIsOrgScoped(path);
      expected[`${role} of the org, own app`] = byRole;
      expected[`${role} of the org, other app of the org`] = byRole;
      expected[`${role} of the org, other org`] = 'not found';
      // An app role reaches that app only, and never the organisation's own settings.
      expected[`${role} of one app, that app`] = orgScoped ? 'not found' : byRole;
      expected[`${role} of one app, other app of the org`] = 'not found';
      expected[`${role} of one app, other org`] = 'not found';
    }
    expect(seen).toEqual(expected);
  });

  it('no call failed in its service other than on purpose', () => {
    expect(serviceErrors).toEqual([]);
  });
});

function procedureInputIsOrgScoped(path: string): boolean {
  return /^(users|tokens|audit)\./.test(path);
}

describe('[ROLES]: what a caller sees is limited to their memberships', () => {
  it('apps.list lists the apps a user has a role on, with that role', async () => {
    const orgMember = await createTestUser(db(), { organizations: [[world.orgA, 'support']] });
    const appMember = await createTestUser(db(), {
      organizations: [[world.orgA, 'viewer']],
      apps: [[world.appA1, 'builder']],
    });
    const list = (user: TestUser) => createCaller(contextFor(db(), user)).apps.list();
    expect((await list(orgMember)).map((a) => [a.id, a.role])).toEqual([
      [world.appA1, 'support'],
      [world.appA2, 'support'],
    ]);
    // The app role replaces the organisation role on that app only.
    expect((await list(appMember)).map((a) => [a.id, a.role])).toEqual([
      [world.appA1, 'builder'],
      [world.appA2, 'viewer'],
    ]);
  });

  it('auth.me answers null signed out, and the permissions per app signed in', async () => {
    expect(await createCaller(createInnerContext(db(), null)).auth.me()).toBeNull();
    const user = await createTestUser(db(), { apps: [[world.appA2, 'support']] });
    const me = await createCaller(contextFor(db(), user)).auth.me();
    expect(me?.organizations).toEqual([]);
    expect(me?.apps).toEqual([
      expect.objectContaining({ id: world.appA2, role: 'support', permissions: ['read', 'rerun'] }),
    ]);
  });

  it('an object id of another app answers not found, even for an admin of both', async () => {
    const admin = await createTestUser(db(), {
      organizations: [
        [world.orgA, 'admin'],
        [world.orgB, 'admin'],
      ],
    });
    const caller = createCaller(contextFor(db(), admin));
    const foreignAction = await newAction(world.appB1);
    const foreignLog = await newRunLog(world.appB1);
    await expect(caller.actions.get({ appId: world.appA1, id: foreignAction })).rejects.toThrow(
      /No action found/,
    );
    await expect(
      caller.actions.update({ appId: world.appA1, id: foreignAction, data: { code: 'x' } }),
    ).rejects.toThrow(/No action found/);
    await expect(caller.runs.get({ appId: world.appA1, logId: foreignLog })).rejects.toThrow();
    await expect(
      caller.runs.rerun({ appId: world.appA1, logId: foreignLog, on: 'master', wait: false }),
    ).rejects.toThrow();
  });

  it('a token for an app of organisation A cannot be made by naming organisation B', async () => {
    const admin = await createTestUser(db(), { organizations: [[world.orgB, 'admin']] });
    const caller = createCaller(contextFor(db(), admin));
    await expect(
      caller.tokens.create({
        organizationId: world.orgB,
        appId: world.appA1,
        name: 'sneaky',
        role: 'admin',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

// ---- REST -------------------------------------------------------------------------------------

const routes = appRoutes();
const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

interface RestCall {
  path: string;
  body?: unknown;
}

const base = (appId: number) => `/v3/apps/${appId}/actions`;
const sources = (appId: number) => `/v3/apps/${appId}/data-sources`;

/** A valid request per route, for the app a call is aimed at. */
const routeRequests: Record<string, (appId: number) => Promise<RestCall>> = {
  'GET /v3/apps/:appId/actions': async (appId) => ({ path: base(appId) }),
  'POST /v3/apps/:appId/actions': async (appId) => ({
    path: base(appId),
    body: createActionFields(),
  }),
  'GET /v3/apps/:appId/actions/logs': async (appId) => ({ path: `${base(appId)}/logs` }),
  'GET /v3/apps/:appId/actions/:id': async (appId) => ({
    path: `${base(appId)}/${await newAction(appId)}`,
  }),
  'PUT /v3/apps/:appId/actions/:id': async (appId) => ({
    path: `${base(appId)}/${await newAction(appId)}`,
    body: { active: false },
  }),
  'DELETE /v3/apps/:appId/actions/:id': async (appId) => ({
    path: `${base(appId)}/${await newAction(appId)}`,
  }),
  'POST /v3/apps/:appId/actions/:id/publish': async (appId) => ({
    path: `${base(appId)}/${await newAction(appId)}/publish`,
  }),
  'POST /v3/apps/:appId/actions/:id/unpublish': async (appId) => ({
    path: `${base(appId)}/${await newAction(appId, true)}/unpublish`,
  }),
  'POST /v3/apps/:appId/actions/:nameOrId/run': async (appId) => ({
    path: `${base(appId)}/${await newAction(appId)}/run?version=master`,
    body: {},
  }),
  'POST /v3/apps/:appId/actions/:nameOrId/run-with-result': async (appId) => ({
    path: `${base(appId)}/${MISSING_ACTION}/run-with-result?version=master`,
    body: {},
  }),
  'GET /v3/apps/:appId/client-actions': async (appId) => ({
    path: `/v3/apps/${appId}/client-actions?version=master`,
  }),
  'POST /v3/apps/:appId/actions/:id/client-runs': async (appId) => ({
    path: `${base(appId)}/${await newAction(appId)}/client-runs`,
    body: { not: 'a run report' },
  }),
  'GET /v3/apps/:appId/actions/:id/compile': async (appId) => ({
    path: `${base(appId)}/${await newAction(appId)}/compile`,
  }),
  'GET /v3/apps/:appId/data-sources': async (appId) => ({ path: sources(appId) }),
  'POST /v3/apps/:appId/data-sources': async (appId) => ({
    path: sources(appId),
    body: { name: `Made ${randomUUID()}` },
  }),
  'GET /v3/apps/:appId/data-sources/:id': async (appId) => ({
    path: `${sources(appId)}/${await newDataSource(appId)}`,
  }),
  'GET /v3/apps/:appId/data-sources/:id/entries': async (appId) => ({
    path: `${sources(appId)}/${await newDataSource(appId)}/entries`,
  }),
  'POST /v3/apps/:appId/data-sources/:id/entries/query': async (appId) => ({
    path: `${sources(appId)}/${await newDataSource(appId)}/entries/query`,
    body: { where: { Name: 'Ada' } },
  }),
  'POST /v3/apps/:appId/data-sources/:id/entries': async (appId) => ({
    path: `${sources(appId)}/${await newDataSource(appId)}/entries`,
    body: { data: { Name: 'Grace' } },
  }),
  'GET /v3/apps/:appId/data-sources/:id/entries/:entryId': async (appId) => ({
    path: await entryPath(appId),
  }),
  'PUT /v3/apps/:appId/data-sources/:id/entries/:entryId': async (appId) => ({
    path: await entryPath(appId),
    body: { data: { Name: 'Grace' } },
  }),
  'DELETE /v3/apps/:appId/data-sources/:id/entries/:entryId': async (appId) => ({
    path: await entryPath(appId),
  }),
  'GET /v3/apps/:appId/media/files/:id/contents': async (appId) => ({
    path: `/v3/apps/${appId}/media/files/${MISSING_ACTION}/contents`,
  }),
};

async function entryPath(appId: number): Promise<string> {
  const { dataSourceId, entryId } = await newEntry(appId);
  return `${sources(appId)}/${dataSourceId}/entries/${entryId}`;
}

async function callRoute(
  route: { method: string; path: string },
  token: string | null,
  appId: number,
): Promise<Outcome> {
  const key = routeKey(route);
  const request = await routeRequests[key]?.(appId);
  if (!request) throw new Error(`no request for ${key}`);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['auth-token'] = token;
  const response = await handleRest(
    new Request(`http://localhost${request.path}`, {
      method: route.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    }),
  );
  if (response.ok) return 'allowed';
  const body: unknown = await response.json().catch(() => null);
  const status = typeof body === 'object' && body !== null ? Reflect.get(body, 'status') : null;
  return classify(key, typeof status === 'string' ? status : String(response.status));
}

describe('[ROLES]: REST routes', () => {
  it('every route has an expected permission and a request here', () => {
    const keys = routes.map(routeKey).sort();
    expect(Object.keys(routePermissions).sort()).toEqual(keys);
    expect(Object.keys(routeRequests).sort()).toEqual(keys);
    for (const route of routes) {
      expect({ route: routeKey(route), permission: route.permission }).toEqual({
        route: routeKey(route),
        permission: routePermissions[routeKey(route)],
      });
    }
  });

  it.each(routes.map(routeKey))('%s answers each token role as the table says', async (key) => {
    const route = routes.find((r) => routeKey(r) === key);
    const permission = routePermissions[key];
    if (!route || !permission) throw new Error(`unknown route ${key}`);
    const seen: Record<string, Outcome> = {};
    const expected: Record<string, Outcome> = {};
    seen['no token'] = await callRoute(route, null, world.appA1);
    expected['no token'] = 'unauthorized';
    for (const role of roles) {
      const appToken = (await createApiToken(db(), { appId: world.appA1 }, 'app', role)).token;
      const orgToken = (await createApiToken(db(), { organizationId: world.orgA }, 'org', role))
        .token;
      seen[`${role} app token, its app`] = await callRoute(route, appToken, world.appA1);
      seen[`${role} app token, other app of the org`] = await callRoute(
        route,
        appToken,
        world.appA2,
      );
      seen[`${role} app token, other org`] = await callRoute(route, appToken, world.appB1);
      seen[`${role} org token, an app of the org`] = await callRoute(route, orgToken, world.appA2);
      seen[`${role} org token, other org`] = await callRoute(route, orgToken, world.appB1);
      const byRole = expectedFor(permission, role);
      expected[`${role} app token, its app`] = byRole;
      expected[`${role} app token, other app of the org`] = 'not found';
      expected[`${role} app token, other org`] = 'not found';
      expected[`${role} org token, an app of the org`] = byRole;
      expected[`${role} org token, other org`] = 'not found';
    }
    expect(seen).toEqual(expected);
  });

  it('no request failed in its handler other than on purpose', () => {
    expect(serviceErrors).toEqual([]);
  });
});
