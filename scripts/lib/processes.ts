import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { logger } from '../../server/log';
import { EXIT_CONFIG } from '../../server/config-error';

export interface Supervised {
  name: string;
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  /**
   * Called, instead of a restart, when the process exits with EXIT_CONFIG: it cannot start
   * as configured (a busy port, say), and starting it again would only fail again.
   */
  onConfigError: () => void;
}

/**
 * Keeps a child process running: a crash is logged and the process restarted after a short,
 * growing pause; stop() ends it with SIGTERM so it can drain. Exit code EXIT_CONFIG (78) is
 * not a crash but a configuration error, and is not restarted.
 */
export function supervise(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: SuperviseOptions,
): Supervised {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  const log = logger.child({ process: name });

  const launch = () => {
    if (stopping) return; // stopped during the pause before a restart
    const started = Date.now();
    child = spawn(command, args, { stdio: 'inherit', env });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      if (code === EXIT_CONFIG) {
        stopping = true;
        log.fatal({ code }, `the ${name} process cannot start as configured; not restarting it`);
        options.onConfigError();
        return;
      }
      restarts = Date.now() - started > 60_000 ? 0 : restarts + 1;
      const pause = Math.min(1000 * 2 ** restarts, 30_000);
      log.error({ code, signal, pause }, 'process exited; restarting');
      setTimeout(launch, pause);
    });
  };
  launch();

  return {
    name,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The web process: Next.js behind our server, which answers /v3 itself (server/web/main.ts). */
export function webCommand(port: number, host: string): [string, string[]] {
  const entry = path.resolve('server', 'web', 'main.ts');
  return [process.execPath, ['--import', 'tsx', entry, '--port', String(port), '--hostname', host]];
}

export function runnerCommand(): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', path.resolve('server', 'runner', 'main.ts')]];
}
