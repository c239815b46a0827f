import { randomUUID } from 'node:crypto';

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminContext } from '../../test/accounts';
import { createTestDatabase, type TestDatabase } from '../../test/harness';
import { createCaller } from '../api/root';
import { createDatabase, type Database } from '../db/client';
import { actionLogs, actionVersions, apps, dataSources, organizations } from '../db/schema';
import { removeAction, updateAction } from './service';
import { publishState, sameSnapshot, snapshotOf } from './versions';

let database: TestDatabase;
let db: Database;
let caller: ReturnType<typeof createCaller>;
let appId: number;
let otherAppId: number;

const code = (value: number) => `async function execute(context) {\n  return ${value};\n}\n`;

async function newApp(name: string, published: boolean): Promise<number> {
  const [org] = await db.insert(organizations).values({ name }).returning();
  if (!org) throw new Error('no organisation');
  const [app] = await db
    .insert(apps)
    .values({ organizationId: org.id, name, publishedAt: published ? new Date() : null })
    .returning();
  if (!app) throw new Error('no app');
  return app.id;
}

async function newAction(name = `a-${randomUUID().slice(0, 8)}`) {
  return caller.actions.create({
    appId,
    data: { name, code: code(1), active: true, triggers: [{ trigger: 'manual' }] },
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url, { max: 4 });
  appId = await newApp('Versions', true);
  otherAppId = await newApp('Other', true);
  caller = createCaller(await adminContext(db));
});

afterAll(async () => {
  await db?.$client.end();
  await database?.drop();
});

describe('[VERSIONS]: every change is recorded', () => {
  it('create, update, publish and restore each leave a version, newest first', async () => {
    const action = await newAction();
    await caller.actions.update({ appId, id: action.id, data: { code: code(2) } });
    await caller.actions.publish({ appId, id: action.id });
    const history = await caller.actions.versions({ appId, id: action.id });
    expect(history.map((v) => v.kind)).toEqual(['published', 'saved', 'saved']);
    expect(history.map((v) => v.fields.code)).toEqual([code(2), code(2), code(1)]);
    expect(history[0]?.fields).toEqual(snapshotOf({ ...action, code: code(2) }));
  });

  it('a save that changes nothing is not recorded again', async () => {
    const action = await newAction();
    await caller.actions.update({ appId, id: action.id, data: { code: action.code } });
    await caller.actions.update({ appId, id: action.id, data: {} });
    expect(await caller.actions.versions({ appId, id: action.id })).toHaveLength(1);
  });

  it('a refused save records nothing (same transaction)', async () => {
    const action = await newAction();
    await expect(
      caller.actions.update({ appId, id: action.id, data: { frequency: '* * * * *' } }),
    ).rejects.toThrow(/every minute/);
    expect(await caller.actions.versions({ appId, id: action.id })).toHaveLength(1);
  });

  it('the REST layer records too: the service does it, not the router', async () => {
    const action = await newAction();
    await updateAction(db, appId, action.id, { code: code(9) });
    const [newest] = await caller.actions.versions({ appId, id: action.id });
    expect(newest?.fields.code).toBe(code(9));
  });

  it('versions go with their action', async () => {
    const action = await newAction();
    await removeAction(db, appId, action.id);
    const left = await db.select().from(actionVersions).where(eq(actionVersions.actionId, action.id));
    expect(left).toEqual([]);
  });
});

describe('[VERSIONS]: restore', () => {
  it('brings a version back, is recorded, and is undone by restoring the one before', async () => {
    const action = await newAction();
    await caller.actions.update({ appId, id: action.id, data: { code: code(2) } });
    await caller.actions.update({ appId, id: action.id, data: { code: code(3) } });
    const [third, second, first] = await caller.actions.versions({ appId, id: action.id });
    if (!first || !second || !third) throw new Error('expected three versions');

    const restored = await caller.actions.restore({ appId, versionId: first.id });
    expect(restored.code).toBe(code(1));
    const afterRestore = await caller.actions.versions({ appId, id: action.id });
    expect(afterRestore[0]?.kind).toBe('restored');

    const undone = await caller.actions.restore({ appId, versionId: third.id });
    expect(undone.code).toBe(code(3));
    const history = await caller.actions.versions({ appId, id: action.id });
    expect(history.map((v) => v.kind)).toEqual(['restored', 'restored', 'saved', 'saved', 'saved']);
  });

  it('a restore the rules now refuse answers their error and changes nothing', async () => {
    const taken = await newAction();
    const action = await newAction();
    await caller.actions.update({ appId, id: action.id, data: { name: `${action.name}-x` } });
    const [, original] = await caller.actions.versions({ appId, id: action.id });
    await caller.actions.update({ appId, id: taken.id, data: { name: action.name } });
    if (!original) throw new Error('expected the original version');
    await expect(caller.actions.restore({ appId, versionId: original.id })).rejects.toThrow(
      /named/,
    );
    expect((await caller.actions.get({ appId, id: action.id })).action.name).toBe(
      `${action.name}-x`,
    );
  });

  it('versions of another app are not found', async () => {
    const action = await newAction();
    const [version] = await caller.actions.versions({ appId, id: action.id });
    if (!version) throw new Error('expected a version');
    await expect(caller.actions.restore({ appId: otherAppId, versionId: version.id })).rejects
      .toThrow(/No version/);
    await expect(caller.actions.versions({ appId: otherAppId, id: action.id })).rejects.toThrow(
      /No action/,
    );
  });
});

describe('[VERSIONS]: publish state and the overview', () => {
  it('draft, then published, then changed since publish', async () => {
    const action = await newAction();
    expect((await caller.actions.get({ appId, id: action.id })).state).toBe('draft');
    await caller.actions.publish({ appId, id: action.id });
    expect((await caller.actions.get({ appId, id: action.id })).state).toBe('published');
    await caller.actions.update({ appId, id: action.id, data: { code: code(5) } });
    expect((await caller.actions.get({ appId, id: action.id })).state).toBe('changed');

    const overview = await caller.actions.overview({ appId });
    const row = overview.rows.find((r) => r.action.id === action.id);
    expect(row?.state).toBe('changed');
    expect(row?.lastRun).toBeNull();
  });

  it('the overview names the latest run and its outcome', async () => {
    const action = await newAction();
    const run = (type: string) => ({
      appId,
      masterId: action.id,
      runId: randomUUID(),
      type,
      data: {},
      version: 'master',
      codeHash: 'x',
    });
    await db.insert(actionLogs).values(run('app.task.completed'));
    await db.insert(actionLogs).values(run('app.task.failed'));
    const overview = await caller.actions.overview({ appId });
    const row = overview.rows.find((r) => r.action.id === action.id);
    expect(row?.lastRun?.type).toBe('app.task.failed');
  });

  it('trigger key order does not make a change', () => {
    const base = snapshotOf({
      name: 'a',
      code: 'x',
      active: true,
      environment: 'server',
      triggers: [{ trigger: 'log', where: { type: 't', dataSourceId: 1 } }],
      dependencies: [],
      frequency: null,
      timezone: null,
    });
    const reordered = { ...base, triggers: [{ where: { dataSourceId: 1, type: 't' }, trigger: 'log' }] };
    expect(sameSnapshot(base, reordered)).toBe(true);
    expect(publishState(base, { ...base, active: false })).toBe('changed');
  });
});

describe('[APPS, DATA SOURCES]: helpers for the editor', () => {
  it('apps.setPublished flips the flag publishing depends on', async () => {
    const action = await newAction();
    await caller.apps.setPublished({ appId, published: false });
    await expect(caller.actions.publish({ appId, id: action.id })).rejects.toThrow(/not published/);
    const app = await caller.apps.setPublished({ appId, published: true });
    expect(app.publishedAt).not.toBeNull();
    await expect(caller.actions.publish({ appId, id: action.id })).resolves.toBeTruthy();
  });

  it('dataSources.list answers the app own data sources only', async () => {
    await db.insert(dataSources).values([
      { appId, name: 'Bookings', columns: ['Name'] },
      { appId: otherAppId, name: 'Secret', columns: [] },
    ]);
    const list = await caller.dataSources.list({ appId });
    expect(list.map((s) => s.name)).toEqual(['Bookings']);
  });
});
