import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { ConfigError, EXIT_CONFIG } from '../../server/config-error';
import type { EmbeddedDatabase } from '../../server/db/embedded';

/** Starts scripts/db-server.ts detached and resolves with its URL once it is ready. */
export function startEmbeddedProcess(): Promise<EmbeddedDatabase> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve('scripts', 'db-server.ts')],
    { detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    child.once('exit', (code) => {
      reject(
        code === EXIT_CONFIG
          ? new ConfigError('the embedded database cannot start as configured (see above)')
          : new Error(`the embedded database exited (${code})`),
      );
    });
    lines.on('line', (line) => {
      let parsed: { ready?: unknown } = {};
      try {
        parsed = JSON.parse(line) as { ready?: unknown };
      } catch {
        // Not a message of ours; pass it on.
      }
      if (typeof parsed.ready !== 'string') {
        process.stdout.write(`${line}\n`);
        return;
      }
      resolve({
        url: parsed.ready,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
