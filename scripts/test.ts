/**
 * `npm test`: every test, against real parts.
 *  1. unit and integration tests (vitest) on the machine's Postgres;
 *  2. the integration tests again on the embedded Postgres that `npm start` uses;
 *  3. the system test: a production build served by `npm run web` with two runner processes on
 *     one database, driven over HTTP and in Chromium (Playwright).
 * Prints one closing line, "N passed, N failed".
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startEmbeddedDatabase } from '../server/db/embedded';
import { ensureWebBuild } from './lib/build';

const machineAdminUrl =
  process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Tally {
  passed: number;
  failed: number;
}

const tally: Tally = { passed: 0, failed: 0 };

function vitest(label: string, args: string[], env: Record<string, string>): void {
  const report = path.join(os.tmpdir(), `vitest-${process.pid}-${label}.json`);
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(
    'npx',
    ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${report}`],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
    };
    tally.passed += json.numPassedTests;
    tally.failed += json.numFailedTests;
  } catch {
    // No report means vitest itself failed (a syntax error, a crash): count it as a failure.
    tally.failed += 1;
  }
  if (result.status !== 0 && tally.failed === 0) tally.failed += 1;
}

async function embeddedStage(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aa-embedded-'));
  // mkdtemp makes the folder private; the embedded server runs as the `postgres` system user
  // when we are root, and must be able to reach its data folder.
  chmodSync(dir, 0o755);
  const embedded = await startEmbeddedDatabase(dir, 5499);
  try {
    const admin = new URL(embedded.url);
    admin.pathname = '/postgres';
    vitest('integration tests on the embedded database', ['test/integration'], {
      TEST_PG_ADMIN_URL: admin.toString(),
    });
  } finally {
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function systemStage(): Promise<void> {
  console.log('\n=== system test: web + two runners, HTTP and Chromium ===');
  ensureWebBuild();
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'e2e/system.ts'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TEST_PG_ADMIN_URL: machineAdminUrl },
    });
    let last = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      last = (last + chunk.toString()).slice(-2000);
    });
    child.on('exit', (code) => {
      const match = /(\d+) passed, (\d+) failed\s*$/.exec(last.trim());
      if (match) {
        tally.passed += Number(match[1]);
        tally.failed += Number(match[2]);
      }
      if (!match || (code !== 0 && Number(match[2]) === 0)) tally.failed += 1;
      resolve();
    });
  });
}

async function main(): Promise<void> {
  vitest('unit and integration tests on the machine database', [], {
    TEST_PG_ADMIN_URL: machineAdminUrl,
  });
  await embeddedStage();
  if (process.env.SKIP_SYSTEM_TESTS !== '1') await systemStage();
  console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
  process.exit(tally.failed > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(`\n${tally.passed} passed, ${tally.failed + 1} failed`);
  process.exit(1);
});
