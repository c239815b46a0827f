/**
 * `npm run token -- --app 1 [--name ci] [--role support]`: creates an API token for an app (or
 * with `--org` an organisation) and prints it once. The role is `builder` unless given.
 */
import { parseArgs } from 'node:util';

import { createApiToken } from '../server/api/tokens';
import { isRole } from '../server/auth/permissions';
import { createDatabase } from '../server/db/client';
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
    const { token } = await createApiToken(database, scope, values.name ?? 'cli', role);
    console.log(token);
  } finally {
    await database.$client.end();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
