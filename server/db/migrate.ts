import path from 'node:path';

import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { Logger as GraphileLogger, runMigrations } from 'graphile-worker';

import { logger } from '../log';
import { createDatabase } from './client';

/**
 * Brings a database up to date: our tables (Drizzle migrations in `drizzle/`) and the job
 * queue's own schema. Runs on one connection, and is safe to run from several processes.
 */
export async function migrateDatabase(url: string): Promise<void> {
  const database = createDatabase(url, { max: 1 });
  try {
    // Serialise concurrent starters (web and runner booting together) on one advisory lock.
    await database.$client`select pg_advisory_lock(727001)`;
    await migrate(database, { migrationsFolder: path.resolve('drizzle') });
    await runMigrations({ connectionString: url, logger: queueLogger() });
    await database.$client`select pg_advisory_unlock(727001)`;
  } finally {
    await database.$client.end();
  }
  logger.debug('database migrated');
}

export function queueLogger() {
  // graphile-worker wants its own Logger type; route its messages into pino.
  return new GraphileLogger((scope) => (level, message, meta) => {
    const child = logger.child({ component: 'queue', ...scope });
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    child[method](meta ?? {}, message);
  });
}
