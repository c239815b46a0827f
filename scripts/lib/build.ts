import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { logger } from '../../server/log';

const SOURCE_DIRS = ['app', 'components', 'server', 'public'];
const SOURCE_FILES = ['next.config.ts', 'package.json', 'postcss.config.mjs'];

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the web app when there is no production build yet or the sources changed after it,
 * so `npm start` on a fresh clone works and later starts skip the build.
 */
export function ensureWebBuild(): void {
  const buildId = path.resolve('.next', 'BUILD_ID');
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const changed = Math.max(
    ...SOURCE_DIRS.filter((d) => existsSync(d)).map(newestChange),
    ...SOURCE_FILES.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs),
  );
  if (built > changed) return;
  logger.info('building the web app (first start or sources changed); this takes a minute or two');
  const result = spawnSync(process.execPath, [require_next(), 'build'], {
    stdio: 'inherit',
    env: nextEnv(process.env),
  });
  if (result.status !== 0) throw new Error(`next build failed with exit code ${result.status}`);
}

export function require_next(): string {
  return path.resolve('node_modules', 'next', 'dist', 'bin', 'next');
}

/** Next.js sends usage telemetry unless told not to; a self-hosted install sends nothing. */
export function nextEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NEXT_TELEMETRY_DISABLED: '1' };
}
