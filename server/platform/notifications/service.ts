import { and, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';

import type { Db } from '../../db/client';
import { appNotifications } from '../../db/schema';
import type { PackageActor } from '../communicate/host-method';
import { describeFailure, type PushTransport } from '../communicate/transports';
import { jsonShape, parseInput } from '../datasources/validate';

/**
 * In-app notifications of one app. A notification with `pushNotification` is also a push
 * message: it is handed to the push transport when one is configured, and otherwise kept with
 * push status `stored`, which is what a push provider would pick up.
 */

export const NOTIFICATION_STATUSES = ['draft', 'published'] as const;
const MAX_LIST_LIMIT = 500;

type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface Notification {
  id: number;
  appId: number;
  status: NotificationStatus;
  data: Record<string, unknown>;
  pushNotification: Record<string, unknown> | null;
  pushStatus: 'stored' | 'sent' | 'failed' | null;
  createdAt: string;
  updatedAt: string;
}

// Stored as jsonb: JSON values only, within the shared nesting and text rules.
export const insertNotificationSchema = z
  .strictObject({
    status: z.enum(NOTIFICATION_STATUSES).default('published'),
    // Extra keys in `data` are the app's own and kept as they are.
    data: z.looseObject({
      title: z.string().max(250).optional(),
      message: z.string().min(1, 'cannot be empty').max(5000),
      navigate: z.record(z.string(), z.unknown()).optional(),
    }),
    pushNotification: z
      .strictObject({
        payload: z.looseObject({
          title: z.string().max(250).optional(),
          body: z.string().min(1, 'cannot be empty').max(4000),
        }),
        sandbox: z.boolean().default(false),
      })
      .optional(),
  })
  .superRefine(jsonShape({ jsonOnly: true }));

export const listNotificationsSchema = z.strictObject({
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  limit: z.int().min(1).max(MAX_LIST_LIMIT).default(50),
  offset: z.int().min(0).default(0),
});

export type InsertNotificationInput = z.input<typeof insertNotificationSchema>;
export type ListNotificationsInput = z.input<typeof listNotificationsSchema>;
type Row = typeof appNotifications.$inferSelect;

export async function createNotification(
  db: Db,
  actor: PackageActor,
  input: InsertNotificationInput,
  push: PushTransport | null,
): Promise<Notification> {
  const options = parseInput(insertNotificationSchema, input, 'Notifications.insert');
  const pushNotification = options.pushNotification ?? null;
  // A draft is not shown to anyone yet, so its push waits too.
  const wantsPush = pushNotification !== null && options.status === 'published';
  const [row] = await db
    .insert(appNotifications)
    .values({
      appId: actor.appId,
      status: options.status,
      data: options.data,
      pushNotification,
      pushStatus: wantsPush ? 'stored' : null,
      runId: actor.origin?.runId ?? null,
    })
    .returning();
  if (!row) throw new Error('notification insert returned no row');
  if (!wantsPush || !push || !pushNotification) return toNotification(row);

  try {
    await push.send({
      notificationId: row.id,
      appId: row.appId,
      payload: pushNotification.payload,
      sandbox: pushNotification.sandbox,
    });
    return toNotification(await setPushOutcome(db, row.id, { pushStatus: 'sent' }));
  } catch (error) {
    // The notification itself exists; only its push failed, which the row records.
    const failure = { pushStatus: 'failed', pushError: describeFailure(error) };
    return toNotification(await setPushOutcome(db, row.id, failure));
  }
}

export async function listNotifications(
  db: Db,
  appId: number,
  input: ListNotificationsInput = {},
): Promise<Notification[]> {
  const options = parseInput(listNotificationsSchema, input, 'Notifications.get');
  const filters: SQL[] = [eq(appNotifications.appId, appId)];
  if (options.status) filters.push(eq(appNotifications.status, options.status));
  const rows = await db
    .select()
    .from(appNotifications)
    .where(and(...filters))
    .orderBy(desc(appNotifications.id))
    .limit(options.limit)
    .offset(options.offset);
  return rows.map(toNotification);
}

async function setPushOutcome(
  db: Db,
  id: number,
  outcome: { pushStatus: string; pushError?: string },
): Promise<Row> {
  const [row] = await db
    .update(appNotifications)
    .set({ ...outcome, updatedAt: new Date() })
    .where(eq(appNotifications.id, id))
    .returning();
  if (!row) throw new Error(`notification ${id} vanished while its push was sent`);
  return row;
}

function toNotification(row: Row): Notification {
  return {
    id: row.id,
    appId: row.appId,
    status: row.status === 'draft' ? 'draft' : 'published',
    data: row.data,
    pushNotification: row.pushNotification,
    pushStatus: pushStatusOf(row.pushStatus),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function pushStatusOf(value: string | null): Notification['pushStatus'] {
  return value === 'stored' || value === 'sent' || value === 'failed' ? value : null;
}
