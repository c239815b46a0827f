import { randomBytes } from 'node:crypto';

import postgres from 'postgres';

import { createDatabase, type Database } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { apps, organizations } from '../../db/schema';

/**
 * A throwaway database for one test file on the machine's Postgres: created, migrated, and
 * dropped afterwards. Only used by tests.
 */
export interface TestDatabase {
  db: Database;
  drop: () => Promise<void>;
}

const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createTestDatabase(prefix = 'ds_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin`create database ${admin(name)}`;

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  const db = createDatabase(url.toString(), { max: 4 });

  const drop = async () => {
    await db.$client.end();
    await admin`drop database if exists ${admin(name)} with (force)`;
    await admin.end();
  };
  return { db, drop };
}

/** An organization with one app, as the scope data sources belong to. */
export async function seedApp(
  db: Database,
  name = 'App',
): Promise<{ appId: number; organizationId: number }> {
  const [organization] = await db.insert(organizations).values({ name }).returning();
  if (!organization) throw new Error('organization insert returned no row');
  const [app] = await db
    .insert(apps)
    .values({ name, organizationId: organization.id })
    .returning();
  if (!app) throw new Error('app insert returned no row');
  return { appId: app.id, organizationId: organization.id };
}
