import { and, count, desc, eq, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';

import type { Db } from '../../db/client';
import { serialIdSchema } from '../../db/ids';
import {
  actionLogs,
  actions,
  appNotifications,
  emailOutbox,
  smsOutbox,
  type EmailRecipient,
} from '../../db/schema';
import { AppError } from '../../errors';
import { logger } from '../../log';
import { transportsFromEnv } from './transports';

/**
 * The admin UI's Outbox: what an app's actions sent, read back for builders and support staff.
 * Bodies are returned as data, never as markup: the page shows text, and HTML only as source
 * or in a sandboxed frame.
 */

export const outboxKinds = ['email', 'sms', 'push', 'notification'] as const;
export type OutboxKind = (typeof outboxKinds)[number];

const MAX_PAGE = 100;
const PREVIEW_CHARS = 160;
// Enough of an HTML body to find its first words once the markup is gone.
const HTML_PREVIEW_SOURCE_CHARS = 4000;

const appId = z.number().int().positive();

export const outboxPageSchema = z.object({
  appId,
  kind: z.enum(outboxKinds),
  /** The page of messages older than this id (`nextCursor` of the page before). */
  cursor: serialIdSchema.optional(),
  limit: z.number().int().min(1).max(MAX_PAGE).default(25),
});

export const outboxMessageSchema = z.object({
  appId,
  kind: z.enum(outboxKinds),
  id: serialIdSchema,
});

export type OutboxPageInput = z.input<typeof outboxPageSchema>;
export type OutboxMessageInput = z.infer<typeof outboxMessageSchema>;

/** The run that sent a message. `logId` is null until the run has ended (and been logged). */
export interface SentBy {
  runId: string;
  logId: number | null;
  actionId: number | null;
  actionName: string | null;
}

type DeliveryStatus = 'stored' | 'sending' | 'sent' | 'failed';

export interface EmailSummary {
  kind: 'email';
  id: number;
  to: EmailRecipient[];
  subject: string;
  /** The first words of the text body, or of the HTML body with its markup removed. */
  preview: string;
  status: DeliveryStatus;
  transport: string | null;
  messageId: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  sentBy: SentBy | null;
}

export interface EmailMessage extends EmailSummary {
  fromName: string | null;
  replyTo: string | null;
  html: string | null;
  text: string | null;
}

export interface SmsMessage {
  kind: 'sms';
  id: number;
  to: string;
  body: string;
  status: DeliveryStatus;
  transport: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  sentBy: SentBy | null;
}

/** A push message is a notification that carries one; `id` is the notification's. */
export interface PushMessage {
  kind: 'push';
  id: number;
  title: string | null;
  body: string;
  sandbox: boolean;
  /** Null while the notification is a draft: its push waits until it is published. */
  status: 'stored' | 'sent' | 'failed' | null;
  error: string | null;
  notificationStatus: 'draft' | 'published';
  createdAt: string;
  sentBy: SentBy | null;
}

export interface NotificationMessage {
  kind: 'notification';
  id: number;
  status: 'draft' | 'published';
  title: string | null;
  message: string;
  /** The notification's whole `data`, for the detail view. */
  data: Record<string, unknown>;
  pushStatus: 'stored' | 'sent' | 'failed' | null;
  createdAt: string;
  sentBy: SentBy | null;
}

export type OutboxSummary = EmailSummary | SmsMessage | PushMessage | NotificationMessage;
export type OutboxMessage = EmailMessage | SmsMessage | PushMessage | NotificationMessage;

export interface OutboxPage {
  items: OutboxSummary[];
  nextCursor: number | null;
}

export interface OutboxOverview {
  counts: Record<OutboxKind, number>;
  /** The transport each channel hands messages to, e.g. `smtp`; null keeps them stored. */
  transports: { email: string | null; sms: string | null; push: string | null };
  /** False when the server's channel settings (SMTP_URL, …) are invalid, so sending fails. */
  settingsValid: boolean;
}

/** One page of an app's messages of one kind, newest first, keyset-paged by id. */
export async function listOutbox(db: Db, input: OutboxPageInput): Promise<OutboxPage> {
  const query = outboxPageSchema.parse(input);
  const rows = await listers[query.kind](db, query);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? last.id : null };
}

/** One message in full; NOT_FOUND for an id of another app, as for a missing one. */
export async function getOutboxMessage(
  db: Db,
  input: OutboxMessageInput,
): Promise<OutboxMessage> {
  const message = await getters[input.kind](db, input.appId, input.id);
  if (!message) throw new AppError('NOT_FOUND', `No ${kindLabels[input.kind]} #${input.id}`);
  return message;
}

export async function outboxOverview(db: Db, forApp: number): Promise<OutboxOverview> {
  const total = async (filter: SQL | undefined, table: typeof emailOutbox | typeof smsOutbox) => {
    const [row] = await db.select({ value: count() }).from(table).where(filter);
    return row?.value ?? 0;
  };
  const notifications = async (filter: SQL | undefined) => {
    const [row] = await db.select({ value: count() }).from(appNotifications).where(filter);
    return row?.value ?? 0;
  };
  const [email, sms, push, notification] = await Promise.all([
    total(eq(emailOutbox.appId, forApp), emailOutbox),
    total(eq(smsOutbox.appId, forApp), smsOutbox),
    notifications(
      and(eq(appNotifications.appId, forApp), isNotNull(appNotifications.pushNotification)),
    ),
    notifications(eq(appNotifications.appId, forApp)),
  ]);
  return { counts: { email, sms, push, notification }, ...configuredTransports() };
}

const kindLabels: Record<OutboxKind, string> = {
  email: 'email',
  sms: 'SMS',
  push: 'push notification',
  notification: 'notification',
};

function configuredTransports(): Pick<OutboxOverview, 'transports' | 'settingsValid'> {
  try {
    const { email, sms, push } = transportsFromEnv();
    const name = (transport: { name: string } | null) => transport?.name ?? null;
    return {
      transports: { email: name(email), sms: name(sms), push: name(push) },
      settingsValid: true,
    };
  } catch (error) {
    // The page still lists what is stored; the sends themselves report the bad setting.
    logger.warn({ err: error }, 'outbox: channel settings are invalid');
    return { transports: { email: null, sms: null, push: null }, settingsValid: false };
  }
}

// ---- reading rows --------------------------------------------------------------------------

type PageQuery = z.infer<typeof outboxPageSchema>;

/** The run log row and action of a message's run, joined by run id within the same app. */
function sentByJoin(runId: PgColumn, messageAppId: PgColumn) {
  return and(eq(actionLogs.runId, runId), eq(actionLogs.appId, messageAppId));
}

const sentByColumns = {
  logId: actionLogs.id,
  actionId: actionLogs.masterId,
  actionName: actions.name,
};

interface SentByRow {
  runId: string | null;
  logId: number | null;
  actionId: number | null;
  actionName: string | null;
}

function sentByOf(row: SentByRow): SentBy | null {
  if (!row.runId) return null;
  return {
    runId: row.runId,
    logId: row.logId,
    actionId: row.actionId,
    actionName: row.actionName,
  };
}

function pageFilters(table: { appId: PgColumn; id: PgColumn }, query: PageQuery): SQL[] {
  const filters: SQL[] = [eq(table.appId, query.appId)];
  if (query.cursor !== undefined) filters.push(lt(table.id, query.cursor));
  return filters;
}

function emailSelection() {
  return {
    id: emailOutbox.id,
    to: emailOutbox.to,
    subject: emailOutbox.subject,
    status: emailOutbox.status,
    transport: emailOutbox.transport,
    messageId: emailOutbox.messageId,
    error: emailOutbox.error,
    createdAt: emailOutbox.createdAt,
    sentAt: emailOutbox.sentAt,
    runId: emailOutbox.runId,
    ...sentByColumns,
  };
}

function emailQuery(db: Db, filters: SQL[]) {
  return db
    .select({
      ...emailSelection(),
      textStart: sql<string | null>`left(${emailOutbox.text}, ${PREVIEW_CHARS * 2})`,
      htmlStart: sql<string | null>`left(${emailOutbox.html}, ${HTML_PREVIEW_SOURCE_CHARS})`,
      fromName: emailOutbox.fromName,
      replyTo: emailOutbox.replyTo,
    })
    .from(emailOutbox)
    .leftJoin(actionLogs, sentByJoin(emailOutbox.runId, emailOutbox.appId))
    .leftJoin(actions, eq(actions.id, actionLogs.masterId))
    .where(and(...filters))
    .orderBy(desc(emailOutbox.id));
}

type EmailRow = Awaited<ReturnType<typeof emailQuery>>[number];

function toEmailSummary(row: EmailRow): EmailSummary {
  return {
    kind: 'email',
    id: row.id,
    to: row.to,
    subject: row.subject,
    preview: previewOf(row.textStart, row.htmlStart),
    status: deliveryStatusOf(row.status),
    transport: row.transport,
    messageId: row.messageId,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    sentBy: sentByOf(row),
  };
}

function smsQuery(db: Db, filters: SQL[]) {
  return db
    .select({
      id: smsOutbox.id,
      to: smsOutbox.to,
      body: smsOutbox.body,
      status: smsOutbox.status,
      transport: smsOutbox.transport,
      error: smsOutbox.error,
      createdAt: smsOutbox.createdAt,
      sentAt: smsOutbox.sentAt,
      runId: smsOutbox.runId,
      ...sentByColumns,
    })
    .from(smsOutbox)
    .leftJoin(actionLogs, sentByJoin(smsOutbox.runId, smsOutbox.appId))
    .leftJoin(actions, eq(actions.id, actionLogs.masterId))
    .where(and(...filters))
    .orderBy(desc(smsOutbox.id));
}

function toSms(row: Awaited<ReturnType<typeof smsQuery>>[number]): SmsMessage {
  return {
    kind: 'sms',
    id: row.id,
    to: row.to,
    body: row.body,
    status: deliveryStatusOf(row.status),
    transport: row.transport,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    sentBy: sentByOf(row),
  };
}

function notificationQuery(db: Db, filters: SQL[]) {
  return db
    .select({
      id: appNotifications.id,
      status: appNotifications.status,
      data: appNotifications.data,
      pushNotification: appNotifications.pushNotification,
      pushStatus: appNotifications.pushStatus,
      pushError: appNotifications.pushError,
      createdAt: appNotifications.createdAt,
      runId: appNotifications.runId,
      ...sentByColumns,
    })
    .from(appNotifications)
    .leftJoin(actionLogs, sentByJoin(appNotifications.runId, appNotifications.appId))
    .leftJoin(actions, eq(actions.id, actionLogs.masterId))
    .where(and(...filters))
    .orderBy(desc(appNotifications.id));
}

type NotificationRow = Awaited<ReturnType<typeof notificationQuery>>[number];

function toPush(row: NotificationRow): PushMessage {
  const push = row.pushNotification ?? {};
  const payload = recordOf(push.payload);
  return {
    kind: 'push',
    id: row.id,
    title: stringOf(payload.title),
    body: stringOf(payload.body) ?? '',
    sandbox: push.sandbox === true,
    status: pushStatusOf(row.pushStatus),
    error: row.pushError,
    notificationStatus: row.status === 'draft' ? 'draft' : 'published',
    createdAt: row.createdAt.toISOString(),
    sentBy: sentByOf(row),
  };
}

function toNotification(row: NotificationRow): NotificationMessage {
  return {
    kind: 'notification',
    id: row.id,
    status: row.status === 'draft' ? 'draft' : 'published',
    title: stringOf(row.data.title),
    message: stringOf(row.data.message) ?? '',
    data: row.data,
    pushStatus: pushStatusOf(row.pushStatus),
    createdAt: row.createdAt.toISOString(),
    sentBy: sentByOf(row),
  };
}

// One more row than the page, to tell whether an older page exists.
const listers: Record<OutboxKind, (db: Db, query: PageQuery) => Promise<OutboxSummary[]>> = {
  email: async (db, query) =>
    (await emailQuery(db, pageFilters(emailOutbox, query)).limit(query.limit + 1)).map(
      toEmailSummary,
    ),
  sms: async (db, query) =>
    (await smsQuery(db, pageFilters(smsOutbox, query)).limit(query.limit + 1)).map(toSms),
  push: async (db, query) => {
    const filters = [
      ...pageFilters(appNotifications, query),
      isNotNull(appNotifications.pushNotification),
    ];
    return (await notificationQuery(db, filters).limit(query.limit + 1)).map(toPush);
  },
  notification: async (db, query) =>
    (await notificationQuery(db, pageFilters(appNotifications, query)).limit(query.limit + 1)).map(
      toNotification,
    ),
};

const getters: Record<
  OutboxKind,
  (db: Db, forApp: number, id: number) => Promise<OutboxMessage | undefined>
> = {
  email: async (db, forApp, id) => {
    const filters = [eq(emailOutbox.appId, forApp), eq(emailOutbox.id, id)];
    const [row] = await emailQuery(db, filters).limit(1);
    if (!row) return undefined;
    // Only the one message asked for carries its whole bodies.
    const [bodies] = await db
      .select({ html: emailOutbox.html, text: emailOutbox.text })
      .from(emailOutbox)
      .where(and(...filters));
    return {
      ...toEmailSummary(row),
      fromName: row.fromName,
      replyTo: row.replyTo,
      html: bodies?.html ?? null,
      text: bodies?.text ?? null,
    };
  },
  sms: async (db, forApp, id) => {
    const [row] = await smsQuery(db, [eq(smsOutbox.appId, forApp), eq(smsOutbox.id, id)]);
    return row && toSms(row);
  },
  push: async (db, forApp, id) => {
    const [row] = await notificationQuery(db, [
      eq(appNotifications.appId, forApp),
      eq(appNotifications.id, id),
      isNotNull(appNotifications.pushNotification),
    ]);
    return row && toPush(row);
  },
  notification: async (db, forApp, id) => {
    const filters = [eq(appNotifications.appId, forApp), eq(appNotifications.id, id)];
    const [row] = await notificationQuery(db, filters);
    return row && toNotification(row);
  },
};

// ---- shaping values --------------------------------------------------------------------------

/**
 * Plain text for a list row. Markup is dropped with a pattern, which is fine for a preview
 * that React renders as text anyway; it is not a sanitiser and nothing renders its output.
 */
export function previewOf(text: string | null, html: string | null): string {
  const source =
    text ??
    (html ?? '')
      .replace(/<(script|style)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ')
      .replace(/<!--[\s\S]*?(-->|$)/g, ' ')
      .replace(/<[^>]*>?/g, ' ')
      .replace(/&(nbsp|amp|lt|gt|quot|#39);/g, (_, name: string) => entities[name] ?? ' ');
  const words = source.replace(/\s+/g, ' ').trim();
  return words.length > PREVIEW_CHARS ? `${words.slice(0, PREVIEW_CHARS - 1)}…` : words;
}

const entities: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
};

function deliveryStatusOf(value: string): DeliveryStatus {
  return value === 'sending' || value === 'sent' || value === 'failed' ? value : 'stored';
}

function pushStatusOf(value: string | null): PushMessage['status'] {
  return value === 'stored' || value === 'sent' || value === 'failed' ? value : null;
}

function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : {};
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
