/** `npm run web`: the web process alone, against DATABASE_URL (for scaling out). */
import { spawn } from 'node:child_process';

import { EXIT_CONFIG, startupExitCode } from '../server/config-error';
import { env } from '../server/env';
import { logger } from '../server/log';
import { checkListen } from '../server/web/listen';
import { ensureWebBuild, nextEnv } from './lib/build';
import { prepareDatabase } from './lib/prepare';
import { webCommand } from './lib/processes';

async function main(): Promise<void> {
  const config = env();
  if (!config.DATABASE_URL) {
    throw new Error('Set DATABASE_URL for npm run web, or use npm start for the embedded database');
  }
  const problem = await checkListen(config.PORT, config.HOST);
  if (problem) {
    logger.fatal({ port: config.PORT, host: config.HOST }, problem);
    process.exit(EXIT_CONFIG);
  }
  await prepareDatabase(config.DATABASE_URL);
  ensureWebBuild();
  const [command, args] = webCommand(config.PORT, config.HOST);
  const child = spawn(command, args, { stdio: 'inherit', env: nextEnv(process.env) });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not start the web process');
  process.exit(startupExitCode(error));
});
