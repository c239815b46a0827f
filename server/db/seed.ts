import { count, sql } from 'drizzle-orm';

import { validateActionFields } from '../actions/validate';
import { logger } from '../log';
import type { Database, Tx } from './client';
import { actions, apps, dataSourceEntries, dataSources, organizations } from './schema';
import { demoActions, demoBookings, demoDataSources } from './seed-content';

/**
 * First start on an empty database: a demo organisation with a published demo app (id 1), its
 * data sources and example actions, so a fresh install has something real to try.
 */
export async function seedDemo(db: Database): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Two processes may start together; the lock makes the check-then-insert atomic.
    await tx.execute(sql`select pg_advisory_xact_lock(727002)`);
    const [existing] = await tx.select({ value: count() }).from(organizations);
    if ((existing?.value ?? 0) > 0) return false;

    const [org] = await tx.insert(organizations).values({ name: 'Demo organisation' }).returning();
    if (!org) throw new Error('seed: organisation not stored');
    const [app] = await tx
      .insert(apps)
      .values({ organizationId: org.id, name: 'Demo app', publishedAt: new Date() })
      .returning();
    if (!app) throw new Error('seed: app not stored');

    const bookings = await seedDataSource(tx, app.id, {
      name: 'Bookings',
      columns: ['Name', 'Email', 'Date', 'Status'],
      entries: demoBookings,
    });
    for (const source of demoDataSources) await seedDataSource(tx, app.id, source);

    for (const content of demoActions(bookings)) {
      // The same checks as a save through the API, so a seeded action is one a user could write.
      const action = validateActionFields(content, null);
      const [master] = await tx.insert(actions).values({ appId: app.id, ...action }).returning();
      if (master && action.active) {
        await tx.insert(actions).values({ appId: app.id, masterId: master.id, ...action });
      }
    }
    logger.info({ appId: app.id }, 'seeded the demo organisation and app');
    return true;
  });
}

interface SeedDataSource {
  name: string;
  columns: string[];
  entries: Record<string, unknown>[];
}

async function seedDataSource(tx: Tx, appId: number, source: SeedDataSource): Promise<number> {
  const [row] = await tx
    .insert(dataSources)
    .values({ appId, name: source.name, columns: source.columns })
    .returning();
  if (!row) throw new Error(`seed: data source ${source.name} not stored`);
  if (source.entries.length > 0) {
    await tx
      .insert(dataSourceEntries)
      .values(source.entries.map((data) => ({ dataSourceId: row.id, data })));
  }
  return row.id;
}
