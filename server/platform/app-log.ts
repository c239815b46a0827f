import type { Tx } from '../db/client';
import { appLogs } from '../db/schema';
import { queueLogTriggeredRuns } from '../triggers/log-triggers';

/**
 * App log events (data changes, emails, …) are inserted here and nowhere else, always inside
 * the transaction of the change they describe, so an event exists exactly when its change
 * committed. Hooks that react to events (log triggers) belong in `writeAppLogs`, which
 * `writeAppLog` also goes through.
 */

/** The action run that caused an event: not stored, but there for hooks to bound run chains. */
export interface AppLogOrigin {
  runId: string;
  chainDepth: number;
}

export interface AppLogEvent {
  appId: number;
  organizationId: number;
  /** For example `dataSource.entry.create`. */
  type: string;
  data: Record<string, unknown>;
  userId?: number | null;
  dataSourceId?: number | null;
  dataSourceEntryId?: number | null;
  appNotificationId?: number | null;
  sessionId?: number | null;
  origin?: AppLogOrigin;
}

/** A log event as the public API and log-triggered runs (`context.payload.log`) see it. */
export interface AppLogEntry {
  id: number;
  userId: number | null;
  appId: number;
  organizationId: number;
  dataSourceId: number | null;
  dataSourceEntryId: number | null;
  appNotificationId: number | null;
  sessionId: number | null;
  requestId: string;
  type: string;
  data: Record<string, unknown>;
  dataString: string;
  createdAt: string;
  updatedAt: string;
}

export type AppLogRow = typeof appLogs.$inferSelect;

// Nine parameters a row keeps one statement far below Postgres's 65,535-parameter limit.
const ROWS_PER_INSERT = 1000;

export function toAppLogEntry(row: AppLogRow): AppLogEntry {
  return {
    id: row.id,
    userId: row.userId,
    appId: row.appId,
    organizationId: row.organizationId,
    dataSourceId: row.dataSourceId,
    dataSourceEntryId: row.dataSourceEntryId,
    appNotificationId: row.appNotificationId,
    sessionId: row.sessionId,
    requestId: row.requestId,
    type: row.type,
    data: row.data,
    dataString: JSON.stringify(row.data),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Inserts one event in the caller's transaction and returns it in the log-entry shape. */
export async function writeAppLog(tx: Tx, event: AppLogEvent): Promise<AppLogEntry> {
  const [entry] = await writeAppLogs(tx, [event]);
  if (!entry) throw new Error('app log insert returned no row');
  return entry;
}

/** Inserts several events (a bulk data change) in the caller's transaction, in order. */
export async function writeAppLogs(tx: Tx, events: AppLogEvent[]): Promise<AppLogEntry[]> {
  const entries: AppLogEntry[] = [];
  for (let start = 0; start < events.length; start += ROWS_PER_INSERT) {
    const chunk = events.slice(start, start + ROWS_PER_INSERT);
    const rows = await tx.insert(appLogs).values(chunk.map(toRow)).returning();
    // RETURNING follows the VALUES order; sorting by id makes that explicit.
    rows.sort((a, b) => a.id - b.id);
    entries.push(...rows.map(toAppLogEntry));
  }
  await queueLogTriggeredRuns(
    tx,
    entries.map((entry, i) => ({ entry, origin: events[i]?.origin })),
  );
  return entries;
}

function toRow(event: AppLogEvent): typeof appLogs.$inferInsert {
  return {
    appId: event.appId,
    organizationId: event.organizationId,
    type: event.type,
    data: event.data,
    userId: event.userId ?? null,
    dataSourceId: event.dataSourceId ?? null,
    dataSourceEntryId: event.dataSourceEntryId ?? null,
    appNotificationId: event.appNotificationId ?? null,
    sessionId: event.sessionId ?? null,
  };
}
