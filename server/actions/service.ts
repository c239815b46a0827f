import { and, asc, count, desc, eq, inArray, isNull } from 'drizzle-orm';

import { getApp } from '../apps/service';
import type { Database, Db } from '../db/client';
import { MAX_SERIAL_ID } from '../db/ids';
import { actionLogs, actions } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { AppError } from '../errors';
import type { RunVersion } from '../runs/job';
import { toActionObject, type ActionObject, type ActionRow } from './shape';
import { validateActionFields, type ActionFields } from './validate';
import { recordVersion, type VersionKind } from './versions';

export const V3 = 'v3';
const LIST_LIMIT_MAX = 100;

export interface ListOptions {
  limit?: number;
  offset?: number;
}

export interface ActionList {
  actions: ActionObject[];
  pagination: { total: number; limit: number; offset: number; hasMore: boolean };
}

/** Master actions of an app, oldest first, paged. */
export async function listActions(db: Db, appId: number, options: ListOptions): Promise<ActionList> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), LIST_LIMIT_MAX);
  const offset = Math.max(options.offset ?? 0, 0);
  const scope = and(eq(actions.appId, appId), isNull(actions.masterId), eq(actions.actionVersion, V3));
  const rows = await db.select().from(actions).where(scope).orderBy(asc(actions.id))
    .limit(limit).offset(offset);
  const [total] = await db.select({ value: count() }).from(actions).where(scope);
  const totalCount = total?.value ?? 0;
  return {
    actions: await present(db, rows),
    pagination: { total: totalCount, limit, offset, hasMore: offset + rows.length < totalCount },
  };
}

/** Any version (master or production) of an app's action by id. */
export async function findActionRow(db: Db, appId: number, id: number): Promise<ActionRow> {
  // A larger id names no row, and Postgres would refuse it rather than answer nothing.
  const [row] = Number.isSafeInteger(id) && id > 0 && id <= MAX_SERIAL_ID
    ? await db.select().from(actions).where(and(eq(actions.appId, appId), eq(actions.id, id)))
    : [];
  if (!row) throw new AppError('ACTION_NOT_FOUND', `No action found with id ${id}`);
  if (row.actionVersion !== V3) {
    throw new AppError('ACTION_NOT_V3', `Action ${id} is a legacy (${row.actionVersion}) action`);
  }
  return row;
}

export async function getAction(db: Db, appId: number, id: number): Promise<ActionObject> {
  return presentOne(db, await findActionRow(db, appId, id));
}

/** What a caller tried to do to a production version, for the advice in the refusal. */
type MasterVerb = 'update' | 'delete' | 'publish' | 'unpublish';

export async function findMasterRow(db: Db, appId: number, id: number, verb: MasterVerb) {
  const row = await findActionRow(db, appId, id);
  if (row.masterId !== null) {
    const master = row.masterId;
    throw verb === 'delete'
      ? new AppError(
          'CANNOT_DELETE_PRODUCTION',
          `Action ${id} is a production version; delete its master (${master}) instead`,
        )
      : new AppError(
          'CANNOT_UPDATE_PRODUCTION',
          verb === 'update'
            ? `Action ${id} is a production version; update its master (${master}) and publish`
            : `Action ${id} is a production version; ${verb} its master (${master}) instead`,
        );
  }
  return row;
}

export async function findProductionRow(db: Db, masterId: number): Promise<ActionRow | undefined> {
  const [row] = await db.select().from(actions).where(eq(actions.masterId, masterId));
  return row;
}

export async function createAction(db: Database, appId: number, body: unknown) {
  await getApp(db, appId);
  const fields = validateActionFields(body, null);
  return withNameGuard(fields.name, () =>
    db.transaction(async (tx) => {
      await assertNameFree(tx, appId, fields.name, null);
      const [row] = await tx.insert(actions).values({ appId, ...fields }).returning();
      if (!row) throw new AppError('INTERNAL_ERROR', 'The action was not stored');
      await recordVersion(tx, row.id, 'saved', fields);
      return toActionObject(row, null);
    }),
  );
}

/** `versionKind` is `restored` when the body is an older version brought back (versions.ts). */
export async function updateAction(
  db: Database,
  appId: number,
  id: number,
  body: unknown,
  versionKind: Extract<VersionKind, 'saved' | 'restored'> = 'saved',
) {
  return withNameGuard(null, () => db.transaction(async (tx) => {
    const current = await findMasterRow(tx, appId, id, 'update');
    const fields = validateActionFields(body, fieldsOf(current));
    if (fields.name !== current.name) await assertNameFree(tx, appId, fields.name, id);
    const [row] = await tx
      .update(actions)
      .set({ ...fields, updatedAt: new Date() })
      .where(eq(actions.id, id))
      .returning();
    if (!row) throw new AppError('ACTION_NOT_FOUND', `No action found with id ${id}`);
    if (!fields.active) {
      // Deactivating is a stop switch: a live copy must not keep running until a republish.
      // Reactivating does not reach production; that takes a publish, as any other change.
      await tx
        .update(actions)
        .set({ active: false, updatedAt: new Date() })
        .where(and(eq(actions.masterId, id), eq(actions.active, true)));
    }
    await recordVersion(tx, id, versionKind, fields);
    return presentOne(tx, row);
  }));
}

export async function removeAction(db: Database, appId: number, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const master = await findMasterRow(tx, appId, id, 'delete');
    await tx.delete(actions).where(eq(actions.masterId, master.id));
    await tx.delete(actions).where(eq(actions.id, master.id));
  });
}

/** Copies the master to its production row (created on first publish, replaced after). */
export async function publishAction(db: Database, appId: number, id: number) {
  return db.transaction(async (tx) => {
    // The action is looked up first, so an unknown id answers ACTION_NOT_FOUND in any app.
    const master = await findMasterRow(tx, appId, id, 'publish');
    const app = await getApp(tx, appId);
    if (!app.publishedAt) {
      throw new AppError(
        'APP_NOT_PUBLISHED',
        `App ${appId} is not published; publish the app before publishing its actions`,
      );
    }
    const copy = { ...fieldsOf(master), updatedAt: new Date() };
    const [row] = await tx
      .insert(actions)
      .values({ appId, masterId: master.id, ...copy })
      .onConflictDoUpdate({ target: actions.masterId, set: copy })
      .returning();
    if (!row) throw new AppError('PUBLISH_FAILED', `Action ${id} could not be published`);
    await recordVersion(tx, master.id, 'published', fieldsOf(master));
    return presentOne(tx, row);
  });
}

export async function unpublishAction(db: Database, appId: number, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const master = await findMasterRow(tx, appId, id, 'unpublish');
    const removed = await tx.delete(actions).where(eq(actions.masterId, master.id)).returning();
    if (removed.length === 0) {
      throw new AppError('ACTION_NOT_PUBLISHED', `Action ${id} has no production version`);
    }
  });
}

function fieldsOf(row: ActionRow): ActionFields {
  return {
    name: row.name,
    code: row.code,
    active: row.active,
    environment: row.environment as ActionFields['environment'],
    triggers: row.triggers as ActionFields['triggers'],
    dependencies: row.dependencies,
    frequency: row.frequency,
    timezone: row.timezone,
  };
}

function nameTaken(name: string | null): AppError {
  const what = name === null ? 'that name' : `"${name}"`;
  return new AppError('NAME_ALREADY_EXISTS', `Another action in this app is named ${what}`);
}

/** Two saves racing for one name: the unique index decides, and the loser gets the same error. */
async function withNameGuard<T>(name: string | null, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, 'actions_master_name')) throw nameTaken(name);
    throw error;
  }
}

async function assertNameFree(db: Db, appId: number, name: string, exceptId: number | null) {
  const [taken] = await db
    .select({ id: actions.id })
    .from(actions)
    .where(and(eq(actions.appId, appId), eq(actions.name, name), isNull(actions.masterId)));
  if (taken && taken.id !== exceptId) throw nameTaken(name);
}

/**
 * Action objects with their `lastRunAt`, read from the run log rather than stored on the action:
 * concurrent runs of one action then never queue on a lock of its row. Each row gets the runs
 * of its own version: a production copy never shows the master's test runs, nor the reverse.
 */
export async function present(db: Db, rows: ActionRow[]): Promise<ActionObject[]> {
  const masterIds = [...new Set(rows.map((row) => row.masterId ?? row.id))];
  const lastRuns =
    masterIds.length === 0
      ? []
      : await db
          .selectDistinctOn([actionLogs.masterId, actionLogs.version], {
            masterId: actionLogs.masterId,
            version: actionLogs.version,
            at: actionLogs.createdAt,
          })
          .from(actionLogs)
          .where(inArray(actionLogs.masterId, masterIds))
          .orderBy(actionLogs.masterId, actionLogs.version, desc(actionLogs.id));
  const key = (masterId: number, version: string) => `${masterId}:${version}`;
  const byRow = new Map(lastRuns.map((run) => [key(run.masterId, run.version), run.at]));
  return rows.map((row) => {
    const version: RunVersion = row.masterId === null ? 'master' : 'production';
    return toActionObject(row, byRow.get(key(row.masterId ?? row.id, version)) ?? null);
  });
}

export async function presentOne(db: Db, row: ActionRow): Promise<ActionObject> {
  const [action] = await present(db, [row]);
  if (!action) throw new AppError('INTERNAL_ERROR', 'The action could not be read');
  return action;
}
