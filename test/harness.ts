import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import postgres from 'postgres';

import { createDatabase, type Database } from '../server/db/client';
import { migrateDatabase } from '../server/db/migrate';
import { seedDemo } from '../server/db/seed';

/**
 * The Postgres server tests create their databases on: the machine's own by default, or the
 * embedded server when `npm test` runs the integration suite a second time against it.
 */
export const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file; dropped afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `aa_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const again = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

export interface SeededTestDatabase extends TestDatabase {
  /** A client on the database; `drop` closes it before dropping the database. */
  db: Database;
}

/** A fresh database (see createTestDatabase) with the demo organisation and app 1 seeded. */
export async function createSeededTestDatabase(): Promise<SeededTestDatabase> {
  const database = await createTestDatabase();
  const db = createDatabase(database.url);
  const drop = async () => {
    await db.$client.end();
    await database.drop();
  };
  // A failed seed leaves nothing for the caller to drop, so clean up here.
  await seedDemo(db).catch(async (error: unknown) => {
    await drop();
    throw error;
  });
  return { url: database.url, db, drop };
}

export interface RunnerProcess {
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts a real runner process on `url` and resolves once it takes jobs. */
export function startRunner(url: string, env: Record<string, string> = {}): Promise<RunnerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve('server', 'runner', 'main.ts')],
    {
      // The start line is logged at info level, whatever level the caller asks for.
      env: {
        ...process.env,
        DATABASE_URL: url,
        RUNNER_SUPERVISOR_PID: String(process.pid),
        ...env,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const runner: RunnerProcess = {
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runner did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('runner started')) {
        clearTimeout(timer);
        resolve(runner);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`runner exited with ${code}:\n${output}`));
    });
  });
}

/** Polls `probe` every 100 ms until it answers something; fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing after ${timeoutMs} ms`);
}
