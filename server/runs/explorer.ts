import { and, asc, desc, eq, gte, ilike, inArray, lt, min, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';

import type { Db } from '../db/client';
import { serialIdSchema } from '../db/ids';
import { actionLogs, actions, codeVersions } from '../db/schema';
import { textFault } from '../json-shape';
import { codeVersionHash, runModes } from './job';
import { getRunLogRow, RUN_COMPLETED, RUN_FAILED, toRunLogEntry } from './logs';

/**
 * The log explorer's queries: one app's run log filtered and paged newest first, the chart's
 * per-bucket counts and durations, and one run in full. Pages are keyset pages on
 * (created_at, id), so page 1,000 costs what page 1 costs; see docs/log-explorer.md.
 */

export const runOutcomes = ['completed', 'failed'] as const;
export const runPlaces = ['server', 'client'] as const;
export type RunOutcome = (typeof runOutcomes)[number];

const PAGE_SIZE_MAX = 100;
/** Characters of an error message a list row carries; the drawer loads the whole run. */
const MESSAGE_PREVIEW = 300;
/**
 * A text search first looks at this many newest candidates: a common word fills a page from
 * them, where the trigram index would have to visit every matching row before sorting.
 */
const SEARCH_WINDOW = 1000;

/** Ranges relative to the time of each request, so a polling page keeps one query key. */
export const relativeRanges = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const;
export type RelativeRange = keyof typeof relativeRanges;
const rangeKeys = Object.keys(relativeRanges) as [RelativeRange, ...RelativeRange[]];

const logId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const instant = z.iso.datetime({ offset: true });

/** Filters shared by the page and the chart; everything is scoped to `appId`. */
export const explorerFiltersShape = z.object({
  appId: z.number().int().positive(),
  /** A master action id: runs of its master and production versions. */
  actionId: serialIdSchema.optional(),
  outcome: z.enum(runOutcomes).optional(),
  mode: z.enum(runModes).optional(),
  runOn: z.enum(runPlaces).optional(),
  /** Only runs logged within this span before now; combines with `from` (the later wins). */
  range: z.enum(rangeKeys).optional(),
  /** Inclusive lower and exclusive upper bound on the time the run was logged. */
  from: instant.optional(),
  to: instant.optional(),
  /** Case-insensitive text within the error message (so only failed runs match). */
  q: z
    .string()
    .trim()
    .max(200)
    // Such text makes Postgres fail the whole query: refused here as bad input instead.
    .refine((q) => textFault(q) === null, 'cannot contain a NUL character or a broken surrogate')
    .optional(),
});

const rangeInOrder = (value: { from?: string; to?: string }) =>
  !value.from || !value.to || Date.parse(value.from) < Date.parse(value.to);
const rangeMessage = { message: '"from" must be before "to"', path: ['to'] };

export const explorerFiltersSchema = explorerFiltersShape.refine(rangeInOrder, rangeMessage);

export const explorerPageSchema = explorerFiltersShape
  .extend({
    /** Run log id: the page of runs logged before (older than) this one. */
    before: logId.optional(),
    /** Run log id: the page of runs logged after (newer than) this one. */
    after: logId.optional(),
    limit: z.number().int().min(1).max(PAGE_SIZE_MAX).default(50),
  })
  .refine(rangeInOrder, rangeMessage)
  .refine((value) => value.before === undefined || value.after === undefined, {
    message: 'Give "before" or "after", not both',
    path: ['after'],
  });

export type ExplorerFilters = z.infer<typeof explorerFiltersSchema>;
export type ExplorerPageInput = z.infer<typeof explorerPageSchema>;

/** One run as a list row: what the table shows, without payload, result or console. */
export interface ExplorerRow {
  id: number;
  type: string;
  outcome: RunOutcome | null;
  createdAt: string;
  masterId: number;
  /** Null once the action was removed; its runs stay in the log. */
  actionName: string | null;
  version: string;
  rerunOf: number | null;
  mode: string | null;
  runOn: string | null;
  durationMs: number | null;
  error: { name: string; message: string } | null;
}

export interface ExplorerPage {
  rows: ExplorerRow[];
  /** Cursor for the next older page (`before`), null on the oldest page. */
  older: number | null;
  /** Cursor for the next newer page (`after`), null on the newest page. */
  newer: number | null;
}

const data = actionLogs.data;
const errorMessage = sql<string | null>`${data}->'error'->>'message'`;
const duration = sql<number | null>`(case when jsonb_typeof(${data}->'duration') = 'number'
  then (${data}->'duration')::float8 end)`;
// Literals, not parameters, so the planner can always match the partial indexes on failures.
const isFailed = sql`${actionLogs.type} = ${sql.raw(`'${RUN_FAILED}'`)}`;
const isCompleted = sql`${actionLogs.type} = ${sql.raw(`'${RUN_COMPLETED}'`)}`;

/** The time bounds the filters set, with a relative range resolved against `now`. */
function timeBounds(filters: ExplorerFilters, now: number): { from?: Date; to?: Date } {
  const starts = [
    filters.from === undefined ? null : Date.parse(filters.from),
    filters.range === undefined ? null : now - relativeRanges[filters.range],
  ].filter((start) => start !== null);
  return {
    from: starts.length > 0 ? new Date(Math.max(...starts)) : undefined,
    to: filters.to === undefined ? undefined : new Date(filters.to),
  };
}

/** The WHERE conditions of the filters, or null when no run can match them. */
function filterConditions(filters: ExplorerFilters, now = Date.now()): SQL[] | null {
  const conditions: SQL[] = [eq(actionLogs.appId, filters.appId)];
  if (filters.actionId !== undefined) conditions.push(eq(actionLogs.masterId, filters.actionId));
  if (filters.mode !== undefined) conditions.push(sql`${data}->>'mode' = ${filters.mode}`);
  if (filters.runOn !== undefined) conditions.push(sql`${data}->>'runOn' = ${filters.runOn}`);
  const { from, to } = timeBounds(filters, now);
  if (from !== undefined) conditions.push(gte(actionLogs.createdAt, from));
  if (to !== undefined) conditions.push(lt(actionLogs.createdAt, to));
  const text = filters.q ? filters.q : undefined;
  // Only failed runs have an error message to search.
  if (text !== undefined && filters.outcome === 'completed') return null;
  if (filters.outcome === 'failed' || text !== undefined) conditions.push(isFailed);
  if (filters.outcome === 'completed') conditions.push(isCompleted);
  return conditions;
}

/** `%`, `_` and `\` in the user's text are literal characters, not ILIKE wildcards. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

type Direction = 'older' | 'newer';

/** Runs strictly older (or newer) than the cursor run, in (created_at, id) order. */
function cursorCondition(appId: number, cursor: number, direction: Direction): SQL {
  const anchor = sql`(select "anchor"."created_at", "anchor"."id" from ${actionLogs} "anchor"
    where "anchor"."id" = ${cursor} and "anchor"."app_id" = ${appId})`;
  const operator = direction === 'older' ? sql.raw('<') : sql.raw('>');
  return sql`(${actionLogs.createdAt}, ${actionLogs.id}) ${operator} ${anchor}`;
}

function ordering(direction: Direction) {
  const by = direction === 'older' ? desc : asc;
  return [by(actionLogs.createdAt), by(actionLogs.id)];
}

/** The page: ids first (the index-driven part), then the row fields of just those ids. */
export async function explorePage(db: Db, input: ExplorerPageInput): Promise<ExplorerPage> {
  const conditions = filterConditions(input);
  if (conditions === null) return { rows: [], older: null, newer: null };
  const direction: Direction = input.after !== undefined ? 'newer' : 'older';
  const cursor = input.after ?? input.before;
  if (cursor !== undefined) conditions.push(cursorCondition(input.appId, cursor, direction));
  const ids = await pageIds(db, conditions, input.q || undefined, direction, input.limit + 1);
  const more = ids.length > input.limit;
  if (direction === 'newer' && !more) {
    // Nothing newer beyond this page: show the newest page, full, rather than a short one.
    return explorePage(db, { ...input, after: undefined });
  }
  const kept = ids.slice(0, input.limit);
  const rows = await rowsByIds(db, input.appId, direction === 'older' ? kept : kept.reverse());
  const first = rows[0]?.id ?? null;
  const last = rows.at(-1)?.id ?? null;
  if (direction === 'newer') return { rows, older: last, newer: first };
  return { rows, older: more ? last : null, newer: cursor === undefined ? null : first };
}

async function pageIds(
  db: Db,
  conditions: SQL[],
  text: string | undefined,
  direction: Direction,
  limit: number,
): Promise<number[]> {
  if (text === undefined) return idsWhere(db, conditions, direction, limit);
  const pattern = containsPattern(text);
  const recent = db
    .select({ id: actionLogs.id, createdAt: actionLogs.createdAt, message: errorMessage.as('m') })
    .from(actionLogs)
    .where(and(...conditions))
    .orderBy(...ordering(direction))
    .limit(SEARCH_WINDOW)
    .as('recent');
  // The window's LIMIT keeps the text condition out of it: Postgres must take the newest rows
  // first and can only then filter them.
  const by = direction === 'older' ? desc : asc;
  const windowed = await db
    .select({ id: recent.id })
    .from(recent)
    .where(ilike(recent.message, pattern))
    .orderBy(by(recent.createdAt), by(recent.id))
    .limit(limit);
  if (windowed.length >= limit) return windowed.map(({ id }) => id);
  return idsWhere(db, [...conditions, ilike(errorMessage, pattern)], direction, limit);
}

async function idsWhere(db: Db, conditions: SQL[], direction: Direction, limit: number) {
  const rows = await db
    .select({ id: actionLogs.id })
    .from(actionLogs)
    .where(and(...conditions))
    .orderBy(...ordering(direction))
    .limit(limit);
  return rows.map(({ id }) => id);
}

const rowFields = {
  id: actionLogs.id,
  type: actionLogs.type,
  createdAt: actionLogs.createdAt,
  masterId: actionLogs.masterId,
  actionName: actions.name,
  version: actionLogs.version,
  rerunOf: actionLogs.rerunOf,
  mode: sql<string | null>`${data}->>'mode'`,
  runOn: sql<string | null>`${data}->>'runOn'`,
  durationMs: duration,
  errorName: sql<string | null>`${data}->'error'->>'name'`,
  errorMessage: sql<string | null>`left(${errorMessage}, ${MESSAGE_PREVIEW})`,
};

function selectRows(db: Db, appId: number, ids: number[]) {
  return db
    .select(rowFields)
    .from(actionLogs)
    .leftJoin(actions, eq(actions.id, actionLogs.masterId))
    .where(and(eq(actionLogs.appId, appId), inArray(actionLogs.id, ids)));
}

/** List rows of the given runs of the app, in the order of `ids`. */
export async function rowsByIds(db: Db, appId: number, ids: number[]): Promise<ExplorerRow[]> {
  if (ids.length === 0) return [];
  const found = await selectRows(db, appId, ids);
  const byId = new Map(found.map((row) => [row.id, toExplorerRow(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

type RowRecord = Awaited<ReturnType<typeof selectRows>>[number];

function toExplorerRow(row: RowRecord): ExplorerRow {
  const { errorName, errorMessage: message, ...rest } = row;
  return {
    ...rest,
    outcome: outcomeOf(row.type),
    createdAt: row.createdAt.toISOString(),
    error:
      errorName === null && message === null
        ? null
        : { name: errorName ?? 'Error', message: message ?? '' },
  };
}

export function outcomeOf(type: string): RunOutcome | null {
  if (type === RUN_COMPLETED) return 'completed';
  if (type === RUN_FAILED) return 'failed';
  return null;
}

// ---- the chart ----------------------------------------------------------------------------

/** Bucket sizes the chart picks from: the smallest giving at most MAX_BUCKETS bars. */
const bucketSizes = [
  { label: '1 minute', seconds: 60 },
  { label: '5 minutes', seconds: 300 },
  { label: '15 minutes', seconds: 900 },
  { label: '30 minutes', seconds: 1800 },
  { label: '1 hour', seconds: 3600 },
  { label: '3 hours', seconds: 3 * 3600 },
  { label: '6 hours', seconds: 6 * 3600 },
  { label: '12 hours', seconds: 12 * 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
] as const;
const MAX_BUCKETS = 60;
/** Buckets line up on this instant (a Monday, midnight UTC), so days and weeks start there. */
const BUCKET_ORIGIN = '2001-01-01T00:00:00Z';
const DEFAULT_CHART_SPAN_MS = 86_400_000;

export interface ChartBucket {
  start: string;
  completed: number;
  failed: number;
  /** Median and 95th percentile run duration in the bucket; null when it has no runs. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface ExplorerChart {
  from: string;
  to: string;
  bucketLabel: string;
  bucketMs: number;
  buckets: ChartBucket[];
}

export function bucketSizeFor(spanMs: number) {
  const fits = bucketSizes.find((size) => spanMs / (size.seconds * 1000) <= MAX_BUCKETS);
  return fits ?? bucketSizes[bucketSizes.length - 1]!;
}

/** Runs per time bucket split by outcome, with duration percentiles, all computed in SQL. */
export async function exploreChart(db: Db, filters: ExplorerFilters): Promise<ExplorerChart> {
  const now = Date.now();
  const bounds = timeBounds(filters, now);
  const to = bounds.to ?? new Date(now);
  const from = bounds.from ?? (await firstRunTime(db, filters, to));
  const size = bucketSizeFor(to.getTime() - from.getTime());
  const bucketMs = size.seconds * 1000;
  const range = { range: undefined, from: from.toISOString(), to: to.toISOString() };
  const conditions = from < to ? filterConditions({ ...filters, ...range }, now) : null;
  const found = conditions === null ? [] : await chartRows(db, conditions, size.seconds);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucketLabel: size.label,
    bucketMs,
    buckets: fillBuckets(found, from.getTime(), to.getTime(), bucketMs),
  };
}

/** Without a lower bound the chart starts at the first matching run (one index probe). */
async function firstRunTime(db: Db, filters: ExplorerFilters, to: Date): Promise<Date> {
  const scope = [eq(actionLogs.appId, filters.appId), lt(actionLogs.createdAt, to)];
  if (filters.actionId !== undefined) scope.push(eq(actionLogs.masterId, filters.actionId));
  const [row] = await db
    .select({ first: min(actionLogs.createdAt) })
    .from(actionLogs)
    .where(and(...scope));
  const fallback = new Date(to.getTime() - DEFAULT_CHART_SPAN_MS);
  return row?.first && row.first < fallback ? row.first : fallback;
}

interface BucketRow {
  startMs: number;
  completed: number;
  failed: number;
  p50: number | null;
  p95: number | null;
}

async function chartRows(db: Db, conditions: SQL[], seconds: number): Promise<BucketRow[]> {
  // The bucket size comes from the table above and the origin is a constant: safe to inline,
  // and inlined the GROUP BY expression is the select expression.
  const bucket = sql`date_bin(${sql.raw(`interval '${seconds} seconds'`)}, ${actionLogs.createdAt},
    ${sql.raw(`timestamptz '${BUCKET_ORIGIN}'`)})`;
  return db
    .select({
      startMs: sql<number>`(extract(epoch from ${bucket}) * 1000)::float8`,
      completed: sql<number>`(count(*) filter (where ${isCompleted}))::int`,
      failed: sql<number>`(count(*) filter (where ${isFailed}))::int`,
      p50: sql<number | null>`percentile_cont(0.5) within group (order by ${duration})`,
      p95: sql<number | null>`percentile_cont(0.95) within group (order by ${duration})`,
    })
    .from(actionLogs)
    .where(and(...conditions))
    .groupBy(sql`1`)
    .orderBy(sql`1`);
}

/** Every bucket of the range, empty ones included, so the chart's x axis is even. */
function fillBuckets(rows: BucketRow[], fromMs: number, toMs: number, bucketMs: number) {
  const origin = Date.parse(BUCKET_ORIGIN);
  const byStart = new Map(rows.map((row) => [row.startMs, row]));
  const buckets: ChartBucket[] = [];
  const first = origin + Math.floor((fromMs - origin) / bucketMs) * bucketMs;
  for (let start = first; start < toMs; start += bucketMs) {
    const row = byStart.get(start);
    buckets.push({
      start: new Date(start).toISOString(),
      completed: row?.completed ?? 0,
      failed: row?.failed ?? 0,
      p50Ms: row?.p50 ?? null,
      p95Ms: row?.p95 ?? null,
    });
  }
  return buckets;
}

// ---- one run ------------------------------------------------------------------------------

/**
 * One run in full for the drawer: the public entry plus what only the admin sees (console
 * output, the version and code that ran), whether the action's master still has that code,
 * and the re-runs made of it.
 */
export async function getRunDetail(db: Db, appId: number, id: number) {
  const row = await getRunLogRow(db, appId, id);
  const [[stored], [master], reruns] = await Promise.all([
    db.select().from(codeVersions).where(eq(codeVersions.hash, row.codeHash)),
    db.select().from(actions).where(and(eq(actions.id, row.masterId), eq(actions.appId, appId))),
    db
      .select({ id: actionLogs.id })
      .from(actionLogs)
      .where(and(eq(actionLogs.rerunOf, row.id), eq(actionLogs.appId, appId)))
      .orderBy(desc(actionLogs.id))
      .limit(20),
  ]);
  return {
    ...toRunLogEntry(row),
    runId: row.runId,
    version: row.version,
    codeHash: row.codeHash,
    console: row.console,
    rerunOf: row.rerunOf,
    reruns: reruns.map(({ id: rerunId }) => rerunId),
    /** The code and dependencies that ran; null when none was recorded (refused, or lost). */
    code: stored ? { code: stored.code, dependencies: stored.dependencies } : null,
    /** The action now; null once it was removed. */
    action: master
      ? {
          id: master.id,
          name: master.name,
          active: master.active,
          environment: master.environment,
          matchesMaster: codeVersionHash(master.code, master.dependencies) === row.codeHash,
        }
      : null,
  };
}

export type RunDetail = Awaited<ReturnType<typeof getRunDetail>>;
