/**
 * The log explorer at scale: one million run log rows made with generate_series in a fresh
 * database, then every kind of page the explorer asks for is EXPLAINed (it must be driven by
 * an index, never a sequential scan of the log) and timed (median of warm runs under 50 ms).
 * The figures it prints are the ones quoted in docs/log-explorer.md.
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Database } from '../../server/db/client';
import * as schema from '../../server/db/schema';
import {
  exploreChart,
  explorePage,
  explorerFiltersSchema,
  explorerPageSchema,
  type ExplorerPageInput,
} from '../../server/runs/explorer';
import { createTestDatabase, type TestDatabase } from '../harness';

const ROWS = 1_000_000;
const PAGE_BUDGET_MS = 50;
const TIMED_RUNS = 7;
const DAY_MS = 86_400_000;

let database: TestDatabase;
let client: postgres.Sql;
let db: Database;
/** Queries the explorer sent while `recording` is on, for EXPLAIN. */
const recorded: { query: string; params: unknown[] }[] = [];
let recording = false;
const figures: string[] = [];

let now: number;
let failingAction: number;

beforeAll(async () => {
  database = await createTestDatabase();
  client = postgres(database.url, { max: 2, onnotice: () => {} });
  db = drizzle(client, {
    schema,
    logger: {
      logQuery: (query, params) => {
        if (recording) recorded.push({ query, params });
      },
    },
  });
  const started = Date.now();
  await seedMillion();
  figures.push(`seeded ${ROWS} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 600_000);

afterAll(async () => {
  console.log(`\nlog explorer at scale (${serverVersion}):\n  ${figures.join('\n  ')}`);
  await client?.end();
  await database?.drop();
});

let serverVersion = '';

/**
 * Three apps (80 / 10 / 10 % of the rows), 20 actions each; about 4 % of runs fail, one action
 * fails one run in five; 10 % scheduled, 5 % in the browser; 90 days of history, newest last.
 */
async function seedMillion() {
  const [version] = await client<{ v: string }[]>`select current_setting('server_version') as v`;
  serverVersion = `Postgres ${version?.v ?? '?'}`;
  await client`insert into organizations (id, name) values (1, 'Scale')`;
  await client`insert into apps (id, organization_id, name) values (1, 1, 'A'), (2, 1, 'B'),
    (3, 1, 'C')`;
  await client`insert into actions (id, app_id, name, code, active)
    select a * 100 + n, a, 'action-' || n, 'async function execute(context) {}', true
    from generate_series(1, 3) a, generate_series(1, 20) n`;
  failingAction = 103;
  now = Date.now();
  await client.unsafe(`
    insert into action_logs (app_id, master_id, run_id, type, data, version, code_hash, created_at)
    select app, app * 100 + action, gen_random_uuid(),
      case when failed then 'app.task.failed' else 'app.task.completed' end,
      jsonb_build_object(
        'mode', case when g % 10 = 0 then 'scheduled' else 'on-demand' end,
        'runOn', case when g % 20 = 1 then 'client' else 'server' end,
        'taskId', app * 100 + action, 'payload', jsonb_build_object('n', g),
        'duration', (random() * random() * 2000)::int, 'actionVersion', 'v3')
      || case when failed then jsonb_build_object('error', jsonb_build_object(
          'name', 'Error', 'stack', 'Error: at execute',
          'message', (array['Cannot read properties of undefined (reading ''id'')',
            'Cannot divide by zero', 'fetch failed: ECONNREFUSED', 'Timeout after 120000 ms',
            'quota is not defined', 'Request failed with status 502'])[1 + g % 6] || ' #' || g))
        else jsonb_build_object('result', jsonb_build_object('data', g, 'success', true)) end,
      'master', 'hash',
      to_timestamp(${now / 1000}) - interval '90 days' + g * (interval '90 days' / ${ROWS})
    from (
      select g,
        case when g % 10 = 8 then 2 when g % 10 = 9 then 3 else 1 end as app,
        1 + (g / 10) % 20 as action,
        (g % 29 = 0 or (1 + (g / 10) % 20 = 3 and g % 5 = 0)) as failed
      from generate_series(1, ${ROWS}) g
    ) s`);
  // As autovacuum would have by then: statistics and a visibility map.
  await client`vacuum analyze action_logs`;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/**
 * EXPLAINs every query the call sends; answers how each reached action_logs: the index of each
 * (bitmap) index scan, or the bare node type of a heap or sequential scan.
 */
async function explainCall(call: () => Promise<unknown>): Promise<string[]> {
  recorded.length = 0;
  recording = true;
  await call();
  recording = false;
  const paths: string[] = [];
  for (const { query, params } of recorded) {
    const values = params as postgres.ParameterOrJSON<never>[];
    const rows = await client.unsafe(`explain (format json) ${query}`, values);
    const plan = (rows[0]?.['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
    for (const node of nodesOf(plan)) {
      const index = node['Index Name'];
      if (index?.startsWith('action_logs')) paths.push(`${node['Node Type']} ${index}`);
      else if (node['Relation Name'] === 'action_logs' && !index) paths.push(node['Node Type']);
    }
  }
  return paths;
}

async function medianMs(call: () => Promise<unknown>) {
  await call();
  const times: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i += 1) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, max: times.at(-1)! };
}

function pageOf(input: Partial<ExplorerPageInput>) {
  return () => explorePage(db, explorerPageSchema.parse({ appId: 1, ...input }));
}

const pageCases: [string, () => Partial<ExplorerPageInput>][] = [
  ['newest page, no filter', () => ({})],
  ['page 5,000 deep (before cursor)', () => ({ before: 500_000 })],
  ['newer page (after cursor)', () => ({ after: 500_000 })],
  ['failed only', () => ({ outcome: 'failed' })],
  ['failed, deep', () => ({ outcome: 'failed', before: 400_000 })],
  ['one action, failed', () => ({ actionId: failingAction, outcome: 'failed' })],
  ['one action, completed', () => ({ actionId: failingAction, outcome: 'completed' })],
  ['error text, common word', () => ({ q: 'DIVIDE' })],
  ['error text, rare', () => ({ q: '#777780' })],
  ['error text, no match', () => ({ q: 'no such words' })],
  ['scheduled, one day 60 days ago', () => ({
    mode: 'scheduled',
    from: new Date(now - 61 * DAY_MS).toISOString(),
    to: new Date(now - 60 * DAY_MS).toISOString(),
  })],
  ['client runs', () => ({ runOn: 'client' })],
];

describe(`log explorer over ${ROWS.toLocaleString('en')} run log rows`, () => {
  it.each(pageCases)('%s: index-driven, under 50 ms', async (name, input) => {
    const call = pageOf(input());
    const paths = await explainCall(call);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => path.includes('Seq Scan'))).toEqual([]);
    const { median, max } = await medianMs(call);
    const rows = (await call()).rows.length;
    figures.push(
      `${name}: ${rows} rows, median ${median.toFixed(1)} ms (max ${max.toFixed(1)}) via ` +
        [...new Set(paths)].join(', '),
    );
    expect(median).toBeLessThan(PAGE_BUDGET_MS);
  });

  it.each([
    ['chart, last 24 hours', 1],
    ['chart, last 7 days', 7],
    ['chart, last 30 days', 30],
  ] as const)('%s', async (name, days) => {
    const filters = explorerFiltersSchema.parse({
      appId: 1,
      from: new Date(now - days * DAY_MS).toISOString(),
      to: new Date(now).toISOString(),
    });
    const call = () => exploreChart(db, filters);
    const paths = await explainCall(call);
    const { median } = await medianMs(call);
    const chart = await call();
    const runs = chart.buckets.reduce((sum, bucket) => sum + bucket.completed + bucket.failed, 0);
    expect(runs).toBeGreaterThan(0);
    figures.push(
      `${name}: ${runs} runs in ${chart.buckets.length} buckets of ${chart.bucketLabel}, ` +
        `median ${median.toFixed(0)} ms via ${[...new Set(paths)].join(', ')}`,
    );
    if (days === 1) expect(paths.filter((path) => path.includes('Seq Scan'))).toEqual([]);
  });

  it('counts what the seed made', async () => {
    const count = sql`select count(*)::int as count from action_logs`;
    const [row] = await db.execute<{ count: number }>(count);
    expect(row?.count).toBe(ROWS);
  });
});
