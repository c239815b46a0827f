/** `npm run db:migrate`: migrate (and on first run seed) DATABASE_URL or the embedded database. */
import { startEmbeddedDatabase } from '../server/db/embedded';
import { dataDir, env } from '../server/env';
import { logger } from '../server/log';
import { prepareDatabase } from './lib/prepare';

async function main(): Promise<void> {
  const config = env();
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase(dataDir(), config.EMBEDDED_PG_PORT);
  try {
    await prepareDatabase(config.DATABASE_URL ?? embedded!.url);
    logger.info('database is up to date');
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'migration failed');
  process.exit(1);
});
