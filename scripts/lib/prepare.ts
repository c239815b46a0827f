import { createDatabase } from '../../server/db/client';
import { migrateDatabase } from '../../server/db/migrate';
import { seedDemo } from '../../server/db/seed';

/** Migrates the database and seeds the demo app on first start. */
export async function prepareDatabase(url: string): Promise<void> {
  await migrateDatabase(url);
  const database = createDatabase(url, { max: 1 });
  try {
    await seedDemo(database);
  } finally {
    await database.$client.end();
  }
}
