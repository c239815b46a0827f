import { and, desc, eq, isNull } from 'drizzle-orm';

import type { Db } from '../db/client';
import { actions, actionVersions, type ActionSnapshot } from '../db/schema';
import { AppError } from '../errors';
import type { ActionFields } from './validate';

/**
 * Version history of master actions. The action service records a version in the transaction
 * of every create, update, publish and restore; restoring is an update to an old snapshot that
 * is itself recorded, so undoing a restore is restoring the version before it.
 */
export const versionKinds = ['saved', 'published', 'restored'] as const;
export type VersionKind = (typeof versionKinds)[number];

export interface ActionVersion {
  id: number;
  actionId: number;
  kind: VersionKind;
  fields: ActionSnapshot;
  createdAt: string;
}

const LIST_LIMIT_MAX = 200;

/** The fields in one fixed order, so snapshots read the same in every diff. */
export function snapshotOf(fields: ActionFields | ActionSnapshot): ActionSnapshot {
  return {
    name: fields.name,
    code: fields.code,
    active: fields.active,
    environment: fields.environment,
    triggers: fields.triggers,
    dependencies: fields.dependencies,
    frequency: fields.frequency,
    timezone: fields.timezone,
  };
}

/** Equal field by field; key order inside triggers does not count (jsonb reorders keys). */
export function sameSnapshot(a: ActionSnapshot, b: ActionSnapshot): boolean {
  return stableJson(snapshotOf(a)) === stableJson(snapshotOf(b));
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const members = entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Where the master stands against production: never published, the same, or edited since. */
export type PublishState = 'draft' | 'published' | 'changed';

export function publishState(
  master: ActionSnapshot,
  production: ActionSnapshot | null,
): PublishState {
  if (!production) return 'draft';
  return sameSnapshot(master, production) ? 'published' : 'changed';
}

/**
 * Records a version. A save that changes nothing since the newest version is not recorded
 * (pressing Ctrl+S twice, toggling back and forth); publishing and restoring always are, since
 * they are events worth seeing even when the fields did not change.
 */
export async function recordVersion(
  tx: Db,
  actionId: number,
  kind: VersionKind,
  fields: ActionFields,
): Promise<void> {
  const snapshot = snapshotOf(fields);
  if (kind === 'saved') {
    const [newest] = await tx
      .select({ fields: actionVersions.fields })
      .from(actionVersions)
      .where(eq(actionVersions.actionId, actionId))
      .orderBy(desc(actionVersions.id))
      .limit(1);
    if (newest && sameSnapshot(newest.fields, snapshot)) return;
  }
  await tx.insert(actionVersions).values({ actionId, kind, fields: snapshot });
}

/** Versions of one master action of the app, newest first. */
export async function listVersions(
  db: Db,
  appId: number,
  actionId: number,
  limit = 50,
): Promise<ActionVersion[]> {
  const [master] = await db
    .select({ id: actions.id })
    .from(actions)
    .where(and(eq(actions.appId, appId), eq(actions.id, actionId), isNull(actions.masterId)));
  if (!master) throw new AppError('ACTION_NOT_FOUND', `No action found with id ${actionId}`);
  const rows = await db
    .select()
    .from(actionVersions)
    .where(eq(actionVersions.actionId, actionId))
    .orderBy(desc(actionVersions.id))
    .limit(Math.min(Math.max(limit, 1), LIST_LIMIT_MAX));
  return rows.map(toVersion);
}

/** One version, found only through an action of the app (another app's id is not found). */
export async function getVersion(db: Db, appId: number, versionId: number): Promise<ActionVersion> {
  const [row] = await db
    .select({ version: actionVersions })
    .from(actionVersions)
    .innerJoin(actions, eq(actions.id, actionVersions.actionId))
    .where(and(eq(actionVersions.id, versionId), eq(actions.appId, appId)));
  if (!row) throw new AppError('NOT_FOUND', `No version ${versionId} in app ${appId}`);
  return toVersion(row.version);
}

function toVersion(row: typeof actionVersions.$inferSelect): ActionVersion {
  return {
    id: row.id,
    actionId: row.actionId,
    kind: versionKinds.find((kind) => kind === row.kind) ?? 'saved',
    fields: snapshotOf(row.fields),
    createdAt: row.createdAt.toISOString(),
  };
}
