import { asc, eq } from 'drizzle-orm';

import type { Db } from '../db/client';
import { apps } from '../db/schema';
import { AppError } from '../errors';

export type AppRow = typeof apps.$inferSelect;

export async function getApp(db: Db, appId: number): Promise<AppRow> {
  const [app] = await db.select().from(apps).where(eq(apps.id, appId));
  if (!app) throw new AppError('APP_NOT_FOUND', `App ${appId} was not found`);
  return app;
}

// Apps are never deleted and never move to another organisation, so a process remembers which
// organisation an app belongs to instead of asking on every API call and every run.
const organizations = new Map<number, number>();

/** The organisation of an app; APP_NOT_FOUND if there is no such app. */
export async function appOrganization(db: Db, appId: number): Promise<number> {
  let organizationId = organizations.get(appId);
  if (organizationId === undefined) {
    organizationId = (await getApp(db, appId)).organizationId;
    organizations.set(appId, organizationId);
  }
  return organizationId;
}

export function listApps(db: Db): Promise<AppRow[]> {
  return db.select().from(apps).orderBy(asc(apps.id));
}

export async function setAppPublished(db: Db, appId: number, published: boolean): Promise<AppRow> {
  const [app] = await db
    .update(apps)
    .set({ publishedAt: published ? new Date() : null, updatedAt: new Date() })
    .where(eq(apps.id, appId))
    .returning();
  if (!app) throw new AppError('APP_NOT_FOUND', `App ${appId} was not found`);
  return app;
}
