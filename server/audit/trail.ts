import { and, desc, eq, lt, type SQL } from 'drizzle-orm';

import type { Db } from '../db/client';
import { auditEvents, type AuditActor } from '../db/schema';
import { logger } from '../log';
import { auditActionOf, type AuditCall, type AuditRule } from './events';

export interface AuditScope {
  organizationId: number;
  appId: number | null;
}

/**
 * Writes the audit row of a call that succeeded. It runs after the change committed (see
 * docs/accounts.md, "Audit trail"): a failure here is logged and does not undo or fail the
 * change the caller already made.
 */
export async function recordAudit(
  db: Db,
  rule: AuditRule,
  call: AuditCall,
  scope: AuditScope,
  actor: AuditActor,
): Promise<void> {
  const action = auditActionOf(rule, call);
  try {
    await db.insert(auditEvents).values({
      organizationId: scope.organizationId,
      appId: scope.appId,
      actorType: actor.type,
      actorId: actor.id,
      actorLabel: actor.label,
      action,
      targetId: rule.target(call),
      detail: rule.detail?.(call) ?? {},
    });
  } catch (error) {
    logger.error({ err: error, action, ...scope }, 'could not record an audit event');
  }
}

export interface AuditQuery {
  organizationId: number;
  appId?: number | undefined;
  /** Audit event id: the page of events older than this one. */
  before?: number | undefined;
  limit: number;
}

/** An organisation's audit events, newest first, keyset-paged by id. */
export async function listAudit(db: Db, query: AuditQuery) {
  const filters: SQL[] = [eq(auditEvents.organizationId, query.organizationId)];
  if (query.appId !== undefined) filters.push(eq(auditEvents.appId, query.appId));
  if (query.before !== undefined) filters.push(lt(auditEvents.id, query.before));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...filters))
    .orderBy(desc(auditEvents.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    events: page.map((row) => ({
      id: row.id,
      at: row.createdAt.toISOString(),
      appId: row.appId,
      actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
      action: row.action,
      targetId: row.targetId,
      detail: row.detail,
    })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
