import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

import { env } from '../env';
import * as schema from './schema';

export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Anything queries can run on: the pool or an open transaction. */
export type Db = Database | Tx;

export function createDatabase(url: string, options: { max?: number } = {}): Database {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
  });
  return drizzle(client, { schema });
}

let shared: Database | undefined;

/** The process-wide pool, built from DATABASE_URL on first use. */
export function db(): Database {
  if (!shared) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded database)');
    shared = createDatabase(url);
  }
  return shared;
}
