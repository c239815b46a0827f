/**
 * `npm run token -- --app 1 [--name ci] [--role support]`: creates an API token for an app (or
 * with `--org` an organisation) and prints it once. The role is `builder` unless given.
 */
import { parseArgs } from 'node:util';

import { eq } from 'drizzle-orm';

import { createApiToken } from '../server/api/tokens';
import { getApp } from '../server/apps/service';
import { isRole } from '../server/auth/permissions';
import { createDatabase, type Database } from '../server/db/client';
import { organizations } from '../server/db/schema';
import { startEmbeddedDatabase } from '../server/db/embedded';
import { dataDir, env } from '../server/env';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      org: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
    },
  });
  if (!values.app && !values.org) {
    throw new Error('Usage: npm run token -- --app <appId> | --org <id> [--role viewer]');
  }
  const role = values.role ?? 'builder';
  if (!isRole(role)) throw new Error('--role must be admin, builder, support or viewer');
  const config = env();
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase(dataDir(), config.EMBEDDED_PG_PORT);
  const database = createDatabase(config.DATABASE_URL ?? embedded!.url, { max: 1 });
  try {
    const scope = values.app
      ? { appId: Number(values.app) }
      : { organizationId: Number(values.org) };
    // A token for nothing would be refused by the database with a foreign-key error; say why.
    if (values.app) await getApp(database, Number(values.app));
    else await getOrganization(database, Number(values.org));
    const { token } = await createApiToken(database, scope, values.name ?? 'cli', role);
    console.log(token);
  } finally {
    await database.$client.end();
    await embedded?.stop();
  }
}

async function getOrganization(database: Database, id: number): Promise<void> {
  const [found] = Number.isSafeInteger(id)
    ? await database.select().from(organizations).where(eq(organizations.id, id))
    : [];
  if (!found) throw new Error(`Organisation ${id} was not found`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
