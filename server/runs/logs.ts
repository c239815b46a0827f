import { and, desc, eq, or, sql, type SQL } from 'drizzle-orm';

import type { Db } from '../db/client';
import { actionLogs } from '../db/schema';
import { AppError } from '../errors';

export const RUN_COMPLETED = 'app.task.completed';
export const RUN_FAILED = 'app.task.failed';

export type RunLogRow = typeof actionLogs.$inferSelect;

/** A run log entry as the public API returns it. */
export interface RunLogEntry {
  id: number;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

export function toRunLogEntry(row: RunLogRow): RunLogEntry {
  return { id: row.id, type: row.type, createdAt: row.createdAt.toISOString(), data: row.data };
}

export interface RunLogQuery {
  /** An action id: matches runs of that action, master or production. */
  id?: number;
  type?: string;
  taskId?: number;
  limit?: number;
  offset?: number;
}

const LOGS_LIMIT_MAX = 1000;

export async function listRunLogs(db: Db, appId: number, query: RunLogQuery) {
  if (query.type !== undefined && query.type !== RUN_COMPLETED && query.type !== RUN_FAILED) {
    // A misspelt type would otherwise answer an empty list, which reads as "no failures".
    throw new AppError('BAD_REQUEST', `type must be "${RUN_COMPLETED}" or "${RUN_FAILED}"`);
  }
  const limit = Math.min(Math.max(query.limit ?? 50, 1), LOGS_LIMIT_MAX);
  const offset = Math.max(query.offset ?? 0, 0);
  const filters: SQL[] = [eq(actionLogs.appId, appId)];
  if (query.id !== undefined) {
    // As bigint, an id past the integer column's range matches nothing instead of failing.
    const byAction = or(sql`${actionLogs.masterId} = ${query.id}::bigint`, taskIdIs(query.id));
    if (byAction) filters.push(byAction);
  }
  if (query.type !== undefined) filters.push(eq(actionLogs.type, query.type));
  if (query.taskId !== undefined) filters.push(taskIdIs(query.taskId));
  const rows = await db
    .select()
    .from(actionLogs)
    .where(and(...filters))
    .orderBy(desc(actionLogs.id))
    .limit(limit)
    .offset(offset);
  return { count: rows.length, logs: rows.map(toRunLogEntry) };
}

function taskIdIs(id: number): SQL {
  return sql`(${actionLogs.data}->>'taskId')::bigint = ${id}`;
}

export async function findRunLog(db: Db, runId: string): Promise<RunLogRow | undefined> {
  const [row] = await db.select().from(actionLogs).where(eq(actionLogs.runId, runId));
  return row;
}

export async function getRunLogRow(db: Db, appId: number, id: number): Promise<RunLogRow> {
  const [row] = await db
    .select()
    .from(actionLogs)
    .where(and(eq(actionLogs.appId, appId), eq(actionLogs.id, id)));
  if (!row) throw new AppError('NOT_FOUND', `No run log ${id} in this app`);
  return row;
}
