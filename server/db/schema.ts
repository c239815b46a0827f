import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
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

/** The roles of server/auth/permissions.ts; kept here so the schema needs no import from it. */
export type Role = 'admin' | 'builder' | 'support' | 'viewer';

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
    /**
     * For a re-run from the log explorer: the run log id of the run it repeats. Kept out of
     * `data`, whose shape the public API fixes. No foreign key: logs go only with their app.
     */
    rerunOf: bigint('rerun_of', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('action_logs_run').on(t.runId),
    index('action_logs_app_id').on(t.appId, t.id),
    index('action_logs_master_id').on(t.masterId, t.id),
    // The log explorer pages newest first by (created_at, id), within an app or one action;
    // failures, what support staff look for, get their own smaller indexes.
    index('action_logs_explore_app').on(t.appId, t.createdAt, t.id),
    index('action_logs_explore_master').on(t.masterId, t.createdAt, t.id),
    index('action_logs_explore_app_failed')
      .on(t.appId, t.createdAt, t.id)
      .where(sql`${t.type} = 'app.task.failed'`),
    index('action_logs_explore_master_failed')
      .on(t.masterId, t.createdAt, t.id)
      .where(sql`${t.type} = 'app.task.failed'`),
    // Case-insensitive substring search in error messages (pg_trgm, created by the migration).
    index('action_logs_error_message')
      .using('gin', sql`(${t.data}->'error'->>'message') gin_trgm_ops`)
      .where(sql`${t.type} = 'app.task.failed'`),
    index('action_logs_rerun_of').on(t.rerunOf).where(sql`${t.rerunOf} is not null`),
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
    /** What the token may do, as a member with this role could (server/auth/permissions.ts). */
    role: text('role').$type<Role>().notNull().default('builder'),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_tokens_hash').on(t.tokenHash),
    check('api_tokens_role', sql`${t.role} in ('admin', 'builder', 'support', 'viewer')`),
  ],
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

// ---- platform packages: communicate, notifications, media, encryption -----------------------

/** One addressee of an email, as `Fliplet.Communicate.sendEmail` takes it. */
export interface EmailRecipient {
  email: string;
  name?: string;
  type: 'to' | 'cc' | 'bcc';
}

/**
 * Every email an action asked to send, whether a mail server took it or not, so the admin UI
 * can list them all. `status`: `stored` (no transport configured), `sending`, `sent`, `failed`.
 */
export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: serial('id').primaryKey(),
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    to: jsonb('to').$type<EmailRecipient[]>().notNull(),
    fromName: text('from_name'),
    replyTo: text('reply_to'),
    subject: text('subject').notNull(),
    html: text('html'),
    text: text('text'),
    status: text('status').notNull(),
    /** The transport that took (or refused) it, e.g. `smtp`; null while only stored. */
    transport: text('transport'),
    messageId: text('message_id'),
    error: text('error'),
    /** The action run that sent it; its run log row carries the same id once the run ends. */
    runId: uuid('run_id'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('email_outbox_app').on(t.appId, t.id)],
);

/** Every SMS an action asked to send; same statuses as the email outbox. */
export const smsOutbox = pgTable(
  'sms_outbox',
  {
    id: serial('id').primaryKey(),
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    to: text('to').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull(),
    transport: text('transport'),
    error: text('error'),
    /** The action run that sent it; its run log row carries the same id once the run ends. */
    runId: uuid('run_id'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('sms_outbox_app').on(t.appId, t.id)],
);

/**
 * In-app notifications. One with `pushNotification` is also a push message; `pushStatus`
 * says what became of the push (`stored` while no push provider is configured).
 */
export const appNotifications = pgTable(
  'app_notifications',
  {
    id: serial('id').primaryKey(),
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    pushNotification: jsonb('push_notification').$type<Record<string, unknown>>(),
    pushStatus: text('push_status'),
    pushError: text('push_error'),
    /** The action run that created it; null when made through the API or the admin UI. */
    runId: uuid('run_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('app_notifications_app').on(t.appId, t.id)],
);

export const mediaFolders = pgTable(
  'media_folders',
  {
    id: serial('id').primaryKey(),
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    /** Null for a folder at the app's top level. */
    parentId: integer('parent_id').references((): AnyPgColumn => mediaFolders.id, {
      onDelete: 'cascade',
    }),
    name: text('name').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('media_folders_parent').on(t.appId, t.parentId)],
);

/**
 * Media files. The bytes live on disk under `DATA_DIR/media` at `storageKey`, a path made of
 * ids only: the user's file name is kept here and never becomes part of a path.
 */
export const mediaFiles = pgTable(
  'media_files',
  {
    id: serial('id').primaryKey(),
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    /** Null for a file at the app's top level. */
    folderId: integer('folder_id').references(() => mediaFolders.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('media_files_folder').on(t.appId, t.folderId)],
);

/**
 * Per-app secret keys, created on first use (32 random bytes, base64). `purpose` keeps keys
 * for different uses apart; `encryption` is the key of `Fliplet.Encryption`.
 */
export const appKeys = pgTable(
  'app_keys',
  {
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    key: text('key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.purpose] })],
);

// ---- action version history ------------------------------------------------------------------

/** The editable fields of a master action at one moment, as the save validation left them. */
export interface ActionSnapshot {
  name: string;
  code: string;
  active: boolean;
  environment: string;
  triggers: TriggerConfig[];
  dependencies: string[];
  frequency: string | null;
  timezone: string | null;
}

/**
 * Every saved state of a master action: `saved` on create and update, `published` when it was
 * copied to production, `restored` when an older version was brought back. Written in the
 * transaction of the change, so history and action never disagree. Removed with the action.
 */
export const actionVersions = pgTable(
  'action_versions',
  {
    id: serial('id').primaryKey(),
    actionId: integer('action_id')
      .notNull()
      .references(() => actions.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    fields: jsonb('fields').$type<ActionSnapshot>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('action_versions_action').on(t.actionId, t.id)],
);

/**
 * How many runs each app queued per 10-second window. A run's queue priority comes from its
 * app's recent count, so one app flooding the queue cannot starve the others.
 */
export const queuePressure = pgTable(
  'queue_pressure',
  {
    appId: integer('app_id').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    queued: integer('queued').notNull(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.windowStart] })],
);

// ---- accounts: users and sessions (better-auth), memberships, audit trail -------------------

/**
 * People who sign in to the admin app. The four tables below are better-auth's, under plural
 * names (server/auth/auth.ts maps its models to them); ids are text, as better-auth makes them.
 */
export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Stored lower-cased by better-auth, so the unique index is case-insensitive in effect. */
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One row per signed-in browser; the cookie carries `token` (signed), never the id. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    token: text('token').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** How a user signs in: for email + password, provider `credential` with the scrypt hash. */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    scope: text('scope'),
    password: text('password'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('accounts_user').on(t.userId)],
);

/** better-auth's one-time values (password reset and the like); unused by email + password. */
export const verifications = pgTable(
  'verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('verifications_identifier').on(t.identifier)],
);

/** better-auth's per-address request counters (sign-in attempts), shared by web processes. */
export const authRateLimits = pgTable('auth_rate_limits', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  count: integer('count').notNull(),
  lastRequest: bigint('last_request', { mode: 'number' }).notNull(),
});

const roleCheck = (name: string, column: AnyPgColumn) =>
  check(name, sql`${column} in ('admin', 'builder', 'support', 'viewer')`);

/** A user's role in an organisation: it applies to every app of the organisation. */
export const memberships = pgTable(
  'memberships',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: text('role').$type<Role>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.organizationId] }),
    index('memberships_organization').on(t.organizationId),
    roleCheck('memberships_role', t.role),
  ],
);

/**
 * A role on one app that replaces the organisation role there (higher or lower), or gives a
 * user who is no member of the organisation access to that one app.
 */
export const appMemberships = pgTable(
  'app_memberships',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    appId: integer('app_id')
      .notNull()
      .references(() => apps.id, { onDelete: 'cascade' }),
    role: text('role').$type<Role>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.appId] }),
    index('app_memberships_app').on(t.appId),
    roleCheck('app_memberships_role', t.role),
  ],
);

/** Who did what in the admin app or through the API (server/audit/). */
export interface AuditActor {
  type: 'user' | 'token';
  /** The user id, or the API token id (null for DEV_API_TOKEN, which has no row). */
  id: string | null;
  /** The email or token name at the time, kept after the user or token is gone. */
  label: string;
}

/**
 * The audit trail: one row per change (action.update, run.rerun, token.create, …). No foreign
 * key on the actor, so events outlive the user or token that caused them.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    appId: integer('app_id').references(() => apps.id, { onDelete: 'cascade' }),
    actorType: text('actor_type').$type<AuditActor['type']>().notNull(),
    actorId: text('actor_id'),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    targetId: text('target_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_events_organization').on(t.organizationId, t.id),
    index('audit_events_app').on(t.appId, t.id),
  ],
);
