/**
 * `npm start`: the whole product on one machine. Starts the embedded database when no
 * DATABASE_URL is set, migrates and seeds it, builds the web app if needed, then runs the web
 * and runner processes side by side until stopped.
 */
import { EXIT_CONFIG, startupExitCode } from '../server/config-error';
import type { EmbeddedDatabase } from '../server/db/embedded';
import { env } from '../server/env';
import { logger } from '../server/log';
import { checkListen } from '../server/web/listen';
import { ensureWebBuild, nextEnv } from './lib/build';
import { startEmbeddedProcess } from './lib/embedded-process';
import { prepareDatabase } from './lib/prepare';
import { runnerCommand, supervise, webCommand } from './lib/processes';

async function main(): Promise<void> {
  const config = env();
  // Before anything starts: a busy port would otherwise surface only once the database is up
  // and the web app built, as a web process that cannot start.
  const problem = await checkListen(config.PORT, config.HOST);
  if (problem) {
    logger.fatal({ port: config.PORT, host: config.HOST }, problem);
    process.exit(EXIT_CONFIG);
  }
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

  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    await Promise.all([web.stop(), runner.stop()]);
    await embedded?.stop();
    process.exit(exitCode);
  };
  // A process that cannot start as configured stops the whole product: the person starting it
  // reads why above, instead of a web process restarting forever beside a working runner.
  const onConfigError = () => void stop('configuration error', EXIT_CONFIG);

  const childEnv = { ...process.env, DATABASE_URL: url };
  const web = supervise('web', ...webCommand(config.PORT, config.HOST), nextEnv(childEnv), {
    onConfigError,
  });
  const runner = supervise(
    'runner',
    ...runnerCommand(),
    { ...childEnv, RUNNER_SUPERVISOR_PID: String(process.pid) },
    { onConfigError },
  );
  logger.info(`App Actions is starting at http://localhost:${config.PORT}`);
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not start App Actions');
  process.exit(startupExitCode(error));
});
