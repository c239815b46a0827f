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
