import { randomUUID } from 'node:crypto';

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { pageInputOf, parseView, viewToSearch } from '../../components/logs/explorerView';
import { createTestDatabase, type TestDatabase } from '../../test/harness';
import { createDatabase, type Database } from '../db/client';
import { actionLogs, actions, apps, codeVersions, organizations } from '../db/schema';
import {
  bucketSizeFor,
  exploreChart,
  explorePage,
  explorerFiltersSchema,
  explorerPageSchema,
  getRunDetail,
  type ExplorerPageInput,
} from './explorer';
import { codeVersionHash } from './job';
import { RUN_COMPLETED, RUN_FAILED } from './logs';

let database: TestDatabase;
let db: Database;
let appId: number;
let otherAppId: number;
let divide: number;
let hello: number;

const T0 = Date.parse('2026-03-12T08:00:00Z');
const minutes = (n: number) => new Date(T0 + n * 60_000);

interface LogSpec {
  app?: number;
  action?: number;
  failed?: boolean;
  mode?: 'on-demand' | 'scheduled';
  runOn?: 'server' | 'client';
  at: Date;
  message?: string;
  duration?: number;
  codeHash?: string;
  rerunOf?: number;
}

async function log(spec: LogSpec): Promise<number> {
  const masterId = spec.action ?? divide;
  const message = spec.message ?? 'Cannot divide by zero';
  const error = { name: 'RangeError', message, stack: 'x' };
  const base = {
    mode: spec.mode ?? 'on-demand',
    runOn: spec.runOn ?? 'server',
    taskId: masterId,
    payload: { a: 1, b: 0 },
    duration: spec.duration ?? 10,
    actionVersion: 'v3',
  };
  const [row] = await db
    .insert(actionLogs)
    .values({
      appId: spec.app ?? appId,
      masterId,
      runId: randomUUID(),
      type: spec.failed ? RUN_FAILED : RUN_COMPLETED,
      data: spec.failed ? { ...base, error } : { ...base, result: { data: 1, success: true } },
      version: 'master',
      codeHash: spec.codeHash ?? '',
      rerunOf: spec.rerunOf,
      createdAt: spec.at,
    })
    .returning({ id: actionLogs.id });
  if (!row) throw new Error('log row not stored');
  return row.id;
}

async function page(input: Partial<ExplorerPageInput>) {
  return explorePage(db, explorerPageSchema.parse({ appId, ...input }));
}

const ids = (result: { rows: { id: number }[] }) => result.rows.map((row) => row.id);

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url, { max: 4 });
  const [org] = await db.insert(organizations).values({ name: 'Org' }).returning();
  const [app, other] = await db
    .insert(apps)
    .values([
      { organizationId: org!.id, name: 'Explorer' },
      { organizationId: org!.id, name: 'Other' },
    ])
    .returning();
  appId = app!.id;
  otherAppId = other!.id;
  const code = 'async function execute() { return 1; }';
  const inserted = await db
    .insert(actions)
    .values([
      { appId, name: 'divide', code, active: true },
      { appId, name: 'hello', code, active: true },
    ])
    .returning();
  divide = inserted[0]!.id;
  hello = inserted[1]!.id;
});

afterAll(async () => {
  await db?.$client.end();
  await database?.drop();
});

beforeEach(async () => {
  await db.delete(actionLogs);
});

describe('explorePage: filters', () => {
  it('lists newest first and never shows another app’s runs', async () => {
    const first = await log({ at: minutes(1) });
    const second = await log({ at: minutes(2), failed: true });
    await log({ app: otherAppId, at: minutes(3) });
    const result = await page({});
    expect(ids(result)).toEqual([second, first]);
    expect(result.rows[0]).toMatchObject({
      outcome: 'failed',
      actionName: 'divide',
      masterId: divide,
      mode: 'on-demand',
      runOn: 'server',
      durationMs: 10,
      error: { name: 'RangeError', message: 'Cannot divide by zero' },
      rerunOf: null,
    });
    expect(result.rows[1]?.error).toBeNull();
  });

  it('filters by action, outcome, mode, run on and time range', async () => {
    const helloRun = await log({ action: hello, at: minutes(1) });
    const failed = await log({ at: minutes(2), failed: true });
    const scheduled = await log({ at: minutes(3), mode: 'scheduled' });
    const client = await log({ at: minutes(4), runOn: 'client' });
    expect(ids(await page({ actionId: hello }))).toEqual([helloRun]);
    expect(ids(await page({ outcome: 'failed' }))).toEqual([failed]);
    expect(ids(await page({ outcome: 'completed' }))).toEqual([client, scheduled, helloRun]);
    expect(ids(await page({ mode: 'scheduled' }))).toEqual([scheduled]);
    expect(ids(await page({ runOn: 'client' }))).toEqual([client]);
    const range = { from: minutes(2).toISOString(), to: minutes(4).toISOString() };
    expect(ids(await page(range))).toEqual([scheduled, failed]);
  });

  it('keeps a relative range relative to each request, combined with "from"', async () => {
    const hourAgo = Date.now() - 3_600_000;
    await log({ at: new Date(hourAgo - 60_000) });
    const recent = await log({ at: new Date(hourAgo + 60_000) });
    const latest = await log({ at: new Date(Date.now() - 1_000) });
    expect(ids(await page({ range: '1h' }))).toEqual([latest, recent]);
    const from = new Date(Date.now() - 30_000).toISOString();
    expect(ids(await page({ range: '24h', from }))).toEqual([latest]);
  });

  it('searches error messages case-insensitively, with % and _ taken literally', async () => {
    const zero = await log({ at: minutes(1), failed: true, message: 'Cannot DIVIDE by zero' });
    const percent = await log({ at: minutes(2), failed: true, message: 'quota at 100% used' });
    await log({ at: minutes(3), failed: true, message: 'quota at 1000 used' });
    expect(ids(await page({ q: 'divide' }))).toEqual([zero]);
    expect(ids(await page({ q: '100%' }))).toEqual([percent]);
    expect(ids(await page({ q: '_' }))).toEqual([]);
    expect(ids(await page({ q: 'divide', outcome: 'completed' }))).toEqual([]);
  });

  it('finds matches beyond the newest search window and inside it alike', async () => {
    const at = (i: number) => minutes(100 + i);
    // 1,100 newer failures that do not match, then 3 older ones that do.
    const older = [await log({ at: at(0), failed: true, message: 'needle 0' })];
    older.push(await log({ at: at(1), failed: true, message: 'needle 1' }));
    older.push(await log({ at: at(2), failed: true, message: 'NEEDLE 2' }));
    await db.execute(sql`insert into action_logs (app_id, master_id, run_id, type, data, version,
        code_hash, created_at)
      select ${appId}, ${divide}, gen_random_uuid(), ${RUN_FAILED},
        jsonb_build_object('error', jsonb_build_object('name', 'E', 'message', 'hay ' || g)),
        'master', '', ${at(10).toISOString()}::timestamptz + g * interval '1 second'
      from generate_series(1, 1100) g`);
    expect(ids(await page({ q: 'needle', limit: 2 }))).toEqual([older[2], older[1]]);
    const hay = await page({ q: 'HAY', limit: 5 });
    expect(hay.rows.map((row) => row.error?.message)).toEqual([
      'hay 1100',
      'hay 1099',
      'hay 1098',
      'hay 1097',
      'hay 1096',
    ]);
  });
});

describe('explorePage: keyset paging', () => {
  async function seven() {
    const made: number[] = [];
    for (let i = 1; i <= 7; i += 1) made.push(await log({ at: minutes(i) }));
    return made;
  }

  it('walks older and newer pages with before/after cursors', async () => {
    const [r1, r2, r3, r4, r5, r6, r7] = await seven();
    const first = await page({ limit: 3 });
    expect(ids(first)).toEqual([r7, r6, r5]);
    expect(first).toMatchObject({ older: r5, newer: null });

    const second = await page({ limit: 3, before: first.older! });
    expect(ids(second)).toEqual([r4, r3, r2]);
    expect(second).toMatchObject({ older: r2, newer: r4 });

    const last = await page({ limit: 3, before: second.older! });
    expect(ids(last)).toEqual([r1]);
    expect(last).toMatchObject({ older: null, newer: r1 });

    const back = await page({ limit: 3, after: last.newer! });
    expect(ids(back)).toEqual([r4, r3, r2]);
    expect(back).toMatchObject({ older: r2, newer: r4 });

    // Nothing beyond the newest page: "after" lands on the full newest page.
    const top = await page({ limit: 3, after: back.newer! });
    expect(ids(top)).toEqual([r7, r6, r5]);
    expect(top).toMatchObject({ older: r5, newer: null });
  });

  it('orders runs logged at the same instant by id, without skipping any', async () => {
    const same = minutes(5);
    const made = [await log({ at: same }), await log({ at: same }), await log({ at: same })];
    const first = await page({ limit: 2 });
    const second = await page({ limit: 2, before: first.older! });
    expect([...ids(first), ...ids(second)]).toEqual([...made].reverse());
  });

  it('ignores a cursor from another app', async () => {
    await seven();
    const foreign = await log({ app: otherAppId, at: minutes(4) });
    expect(ids(await page({ before: foreign }))).toEqual([]);
  });

  it('refuses a reversed range and two cursors at once', () => {
    const reversed = { appId, from: minutes(2).toISOString(), to: minutes(1).toISOString() };
    expect(explorerFiltersSchema.safeParse(reversed).success).toBe(false);
    expect(explorerPageSchema.safeParse({ appId, before: 2, after: 1 }).success).toBe(false);
    expect(explorerPageSchema.safeParse({ appId, limit: 101 }).success).toBe(false);
    // Text Postgres cannot take would fail the query: it is bad input instead.
    expect(explorerPageSchema.safeParse({ appId, q: 'a\u0000' }).success).toBe(false);
    expect(explorerPageSchema.safeParse({ appId, q: '\ud800' }).success).toBe(false);
    expect(explorerPageSchema.safeParse({ appId, q: 'quota 🙂' }).success).toBe(true);
  });
});

describe('exploreChart', () => {
  it('picks the bucket size from the range', () => {
    expect(bucketSizeFor(3_600_000).label).toBe('1 minute');
    expect(bucketSizeFor(86_400_000).label).toBe('30 minutes');
    expect(bucketSizeFor(7 * 86_400_000).label).toBe('3 hours');
    expect(bucketSizeFor(30 * 86_400_000).label).toBe('12 hours');
  });

  it('counts completed and failed runs per bucket with duration percentiles', async () => {
    for (const duration of [10, 20, 30, 40, 100]) await log({ at: minutes(1), duration });
    await log({ at: minutes(1), failed: true, duration: 50 });
    await log({ at: minutes(3), failed: true, duration: 7 });
    await log({ at: minutes(30), app: otherAppId });
    const chart = await exploreChart(
      db,
      explorerFiltersSchema.parse({
        appId,
        from: minutes(0).toISOString(),
        to: minutes(60).toISOString(),
      }),
    );
    expect(chart.bucketLabel).toBe('1 minute');
    expect(chart.buckets).toHaveLength(60);
    expect(chart.buckets[1]).toMatchObject({
      start: minutes(1).toISOString(),
      completed: 5,
      failed: 1,
      p50Ms: 35,
    });
    // percentile_cont interpolates: 95th of [10,20,30,40,50,100] is 87.5.
    expect(chart.buckets[1]?.p95Ms).toBeCloseTo(87.5);
    expect(chart.buckets[3]).toMatchObject({ completed: 0, failed: 1, p50Ms: 7 });
    expect(chart.buckets[30]).toMatchObject({ completed: 0, failed: 0, p50Ms: null });
  });

  it('applies the filters and starts at the first run when no range is given', async () => {
    await log({ at: new Date(Date.now() - 3 * 86_400_000), failed: true, message: 'old boom' });
    await log({ at: new Date(Date.now() - 60_000), failed: true, message: 'boom' });
    await log({ at: new Date(Date.now() - 60_000) });
    const chart = await exploreChart(db, explorerFiltersSchema.parse({ appId, q: 'BOOM' }));
    expect(chart.bucketLabel).toBe('3 hours');
    const total = chart.buckets.reduce((sum, bucket) => sum + bucket.failed + bucket.completed, 0);
    expect(total).toBe(2);
  });
});

describe('getRunDetail', () => {
  it('returns the code that ran, whether the master still has it, and its re-runs', async () => {
    const code = 'async function execute() { return 1; }';
    const hash = codeVersionHash(code, []);
    const old = codeVersionHash('async function execute() { return 0; }', []);
    await db
      .insert(codeVersions)
      .values([
        { hash, code, dependencies: [] },
        { hash: old, code: 'async function execute() { return 0; }', dependencies: [] },
      ])
      .onConflictDoNothing();
    const current = await log({ at: minutes(1), codeHash: hash });
    const stale = await log({ at: minutes(2), codeHash: old, failed: true });
    const rerun = await log({ at: minutes(3), codeHash: hash, rerunOf: stale });

    const detail = await getRunDetail(db, appId, current);
    expect(detail.code).toEqual({ code, dependencies: [] });
    expect(detail.action).toMatchObject({ id: divide, name: 'divide', matchesMaster: true });
    const staleDetail = await getRunDetail(db, appId, stale);
    expect(staleDetail.action?.matchesMaster).toBe(false);
    expect(staleDetail.reruns).toEqual([rerun]);
    expect((await getRunDetail(db, appId, rerun)).rerunOf).toBe(stale);
    await expect(getRunDetail(db, otherAppId, current)).rejects.toMatchObject({
      status: 'NOT_FOUND',
    });
  });
});

describe('the explorer view in the URL', () => {
  it('reads a support link and writes it back unchanged', () => {
    const search = 'action=3&outcome=failed&q=divide';
    const view = parseView(new URLSearchParams(search));
    expect(view).toMatchObject({ actionId: 3, outcome: 'failed', q: 'divide', range: '7d' });
    expect(viewToSearch(view)).toBe(search);
    const full = 'mode=scheduled&runOn=client&range=custom&from=2026-03-12T08%3A00%3A00.000Z' +
      '&before=120&run=7';
    expect(viewToSearch(parseView(new URLSearchParams(full)))).toBe(full);
  });

  it('drops what it cannot use instead of failing', () => {
    const search = 'outcome=broken&action=-3&mode=&runOn=moon&from=yesterday&before=1&after=2';
    const view = parseView(new URLSearchParams(search));
    expect(view).toEqual({
      actionId: undefined,
      outcome: undefined,
      mode: undefined,
      runOn: undefined,
      range: 'custom',
      from: undefined,
      to: undefined,
      q: undefined,
      before: 1,
      after: undefined,
      run: undefined,
    });
  });

  it('builds input the server accepts, with the fixed action winning', () => {
    const view = parseView(new URLSearchParams('action=3&outcome=failed&q=x&range=24h&after=9'));
    const input = pageInputOf(appId, view, 20, hello);
    expect(explorerPageSchema.parse(input)).toMatchObject({
      actionId: hello,
      outcome: 'failed',
      range: '24h',
      after: 9,
      limit: 20,
    });
  });
});
