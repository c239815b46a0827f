import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const organizations = pgTable('organizations', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const apps = pgTable('apps', {
  id: serial('id').primaryKey(),
  organizationId: integer('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** Set when the app itself is published; actions can only be published after that. */
  publishedAt: timestamp('published_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export interface TriggerConfig {
  trigger: string;
  where?: Record<string, unknown>;
}

/**
 * Master and production versions of actions share this table: a production row points at its
 * master through `masterId`; a master row has `masterId` null. Names are unique per app among
 * masters only, since a production row carries its master's name.
 */
export const actions = pgTable(
  'actions',
  {
    id: serial('id').primaryKey(),
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    masterId: integer('master_id'),
    name: text('name').notNull(),
    code: text('code').notNull(),
    active: boolean('active').notNull().default(false),
    environment: text('environment').notNull().default('server'),
    actionVersion: text('action_version').notNull().default('v3'),
    triggers: jsonb('triggers').$type<TriggerConfig[]>().notNull().default([]),
    dependencies: jsonb('dependencies').$type<string[]>().notNull().default([]),
    frequency: text('frequency'),
    timezone: text('timezone'),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('actions_master_name').on(t.appId, t.name).where(sql`${t.masterId} is null`),
    uniqueIndex('actions_production_of').on(t.masterId),
    index('actions_app').on(t.appId),
  ],
);

/** The run log: one row per finished run, in the shape the public API returns. */
export const actionLogs = pgTable(
  'action_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    /** The master action the run belongs to, whichever version ran; kept after removal. */
    masterId: integer('master_id').notNull(),
    runId: uuid('run_id').notNull(),
    type: text('type').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** `master` or `production`. */
    version: text('version').notNull(),
    codeHash: text('code_hash').notNull(),
    console: jsonb('console').$type<unknown[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('action_logs_run').on(t.runId),
    index('action_logs_app_id').on(t.appId, t.id),
    index('action_logs_master_id').on(t.masterId, t.id),
  ],
);

/** Every version of code that ran, by hash, so a re-run can use exactly that code. */
export const codeVersions = pgTable('code_versions', {
  hash: text('hash').primaryKey(),
  code: text('code').notNull(),
  dependencies: jsonb('dependencies').$type<string[]>().notNull().default([]),
  createdAt: createdAt(),
});

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: serial('id').primaryKey(),
    appId: integer('app_id').references(() => apps.id, { onDelete: 'cascade' }),
    organizationId: integer('organization_id').references(() => organizations.id, {
      onDelete: 'cascade',
    }),
    name: text('name').notNull(),
    /** sha256 of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.tokenHash)],
);

export const dataSources = pgTable(
  'data_sources',
  {
    id: serial('id').primaryKey(),
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    columns: jsonb('columns').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('data_sources_app_name').on(t.appId, t.name)],
);

export const dataSourceEntries = pgTable(
  'data_source_entries',
  {
    id: serial('id').primaryKey(),
    dataSourceId: integer('data_source_id')
      .notNull()
      .references(() => dataSources.id, { onDelete: 'cascade' }),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('data_source_entries_source').on(t.dataSourceId, t.id)],
);

/** App events (data changes, emails, …): the audit trail that log triggers listen to. */
export const appLogs = pgTable(
  'app_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    organizationId: integer('organization_id').notNull(),
    userId: integer('user_id'),
    dataSourceId: integer('data_source_id'),
    dataSourceEntryId: integer('data_source_entry_id'),
    appNotificationId: integer('app_notification_id'),
    sessionId: integer('session_id'),
    requestId: uuid('request_id').notNull().defaultRandom(),
    type: text('type').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('app_logs_app_type').on(t.appId, t.type, t.id)],
);

/** Rate-limit counters shared by every web process (rate-limiter-flexible's Drizzle store). */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  points: integer('points').notNull(),
  expire: timestamp('expire', { withTimezone: true }),
});

/**
 * A run in progress. The runner holding it extends `expiresAt` while it lives; a lease left to
 * expire means its runner died mid-run, and another runner records the run as failed.
 */
export const runLeases = pgTable(
  'run_leases',
  {
    runId: uuid('run_id').primaryKey(),
    runnerId: text('runner_id').notNull(),
    /** The queue's job and worker, so the dead job can be taken off the queue. */
    jobId: text('job_id').notNull(),
    workerId: text('worker_id'),
    job: jsonb('job').$type<Record<string, unknown>>().notNull(),
    startedAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('run_leases_expiry').on(t.expiresAt), index('run_leases_runner').on(t.runnerId)],
);

/**
 * One row per schedule slot that was queued. Whichever runner claims a slot first queues its
 * run; every other runner's claim for the same slot is a no-op. Exactly one run per tick.
 */
export const scheduleTicks = pgTable(
  'schedule_ticks',
  {
    masterId: integer('master_id').notNull(),
    slot: timestamp('slot', { withTimezone: true }).notNull(),
    runId: uuid('run_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.masterId, t.slot] })],
);
