/**
 * The embedded database as its own process, in its own process group (npm start spawns it
 * detached): Ctrl+C in a terminal signals the whole group, and the database must outlive the
 * runner, which still writes the logs of the runs it drains. npm start ends it with SIGTERM once
 * the web and runner processes have stopped.
 */
import { startupExitCode } from '../server/config-error';
import { startEmbeddedDatabase } from '../server/db/embedded';
import { dataDir, env } from '../server/env';
import { logger } from '../server/log';

async function main(): Promise<void> {
  const database = await startEmbeddedDatabase(dataDir(), env().EMBEDDED_PG_PORT);
  process.stdout.write(`${JSON.stringify({ ready: database.url })}\n`);
  process.on('SIGINT', () => {});
  process.once('SIGTERM', () => {
    void database.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not start the embedded database');
  process.exit(startupExitCode(error));
});
