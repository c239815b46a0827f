/**
 * `npm start`: the whole product on one machine. Starts the embedded database when no
 * DATABASE_URL is set, migrates and seeds it, builds the web app if needed, then runs the web
 * and runner processes side by side until stopped.
 */
import type { EmbeddedDatabase } from '../server/db/embedded';
import { env } from '../server/env';
import { logger } from '../server/log';
import { ensureWebBuild, nextEnv } from './lib/build';
import { startEmbeddedProcess } from './lib/embedded-process';
import { prepareDatabase } from './lib/prepare';
import { runnerCommand, supervise, webCommand } from './lib/processes';

async function main(): Promise<void> {
  const config = env();
  let embedded: EmbeddedDatabase | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedProcess();
    url = embedded.url;
  }
  try {
    await prepareDatabase(url);
    ensureWebBuild();
  } catch (error) {
    await embedded?.stop();
    throw error;
  }

  const childEnv = { ...process.env, DATABASE_URL: url };
  const web = supervise('web', ...webCommand(config.PORT, config.HOST), nextEnv(childEnv));
  const runner = supervise('runner', ...runnerCommand(), {
    ...childEnv,
    RUNNER_SUPERVISOR_PID: String(process.pid),
  });
  logger.info(`App Actions is starting at http://localhost:${config.PORT}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await Promise.all([web.stop(), runner.stop()]);
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not start App Actions');
  process.exit(1);
});
