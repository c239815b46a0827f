import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { supervise } from '../../scripts/lib/processes';
import { ConfigError, EXIT_CONFIG } from '../../server/config-error';
import { startEmbeddedDatabase } from '../../server/db/embedded';

/** A port someone else holds, as a person's other program would. */
let holder: net.Server;
let busyPort: number;

beforeAll(async () => {
  holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  busyPort = (holder.address() as net.AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

/** Processes (ours or their children) that carry `marker` in their environment. */
function processesMarked(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(marker);
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);
}

interface Exit {
  code: number | null;
  output: string;
  ms: number;
}

function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(script), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

function scriptEnv(marker: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(busyPort),
    HOST: '127.0.0.1',
    DATA_DIR: path.resolve('tmp', `startup-test-${marker}`),
    EMBEDDED_PG_PORT: '55530',
    STARTUP_TEST_MARKER: marker,
    ...extra,
  };
  if (!('DATABASE_URL' in extra)) delete env.DATABASE_URL;
  return env;
}

const busyMessage = () => `Port ${busyPort} on 127.0.0.1 is already in use by another process`;

describe('a busy port', () => {
  it('stops npm start at once, with the port and the PORT variable named', async () => {
    const marker = randomUUID();
    const env = scriptEnv(marker);
    const exit = await runScript('scripts/start.ts', [], env);
    expect(exit.code).toBe(EXIT_CONFIG);
    expect(exit.ms).toBeLessThan(15_000);
    expect(exit.output).toContain(busyMessage());
    expect(exit.output).toContain('PORT variable');
    // Refused before the embedded database: nothing was started, nothing is left running.
    expect(existsSync(env.DATA_DIR ?? '')).toBe(false);
    expect(processesMarked(marker)).toEqual([]);
  });

  it('stops npm run web before it touches the database', async () => {
    const marker = randomUUID();
    // Nothing listens there: reaching the database would fail differently, and slower.
    const env = scriptEnv(marker, { DATABASE_URL: 'postgres://postgres@127.0.0.1:9/none' });
    const exit = await runScript('scripts/web.ts', [], env);
    expect(exit.code).toBe(EXIT_CONFIG);
    expect(exit.output).toContain(busyMessage());
    expect(processesMarked(marker)).toEqual([]);
  });

  it('makes the web process exit with the configuration code, not crash', async () => {
    const marker = randomUUID();
    const exit = await runScript(
      'server/web/main.ts',
      ['--port', String(busyPort), '--hostname', '127.0.0.1'],
      scriptEnv(marker),
    );
    expect(exit.code).toBe(EXIT_CONFIG);
    expect(exit.output).toContain(busyMessage());
    expect(exit.output).toContain('"level":60');
    expect(processesMarked(marker)).toEqual([]);
  });
});

/** A loopback port nobody holds right now. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('other settings that cannot work', () => {
  it('stops npm start when EMBEDDED_PG_PORT is another program\'s, before initdb', async () => {
    const marker = randomUUID();
    const env = scriptEnv(marker, {
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(busyPort),
    });
    const exit = await runScript('scripts/start.ts', [], env);
    expect(exit.code).toBe(EXIT_CONFIG);
    expect(exit.ms).toBeLessThan(15_000);
    expect(exit.output).toContain(
      `Port ${busyPort} (EMBEDDED_PG_PORT) on 127.0.0.1 is in use by another program`,
    );
    expect(existsSync(path.join(env.DATA_DIR ?? '', 'pg', 'PG_VERSION'))).toBe(false);
    expect(processesMarked(marker)).toEqual([]);
    rmSync(env.DATA_DIR ?? '', { recursive: true, force: true });
  });

  it('stops npm start on an invalid variable, with its name', async () => {
    const marker = randomUUID();
    const exit = await runScript('scripts/start.ts', [], scriptEnv(marker, { PORT: 'http' }));
    expect(exit.code).toBe(EXIT_CONFIG);
    expect(exit.output).toContain('Invalid environment: PORT:');
    expect(processesMarked(marker)).toEqual([]);
  });

  it('still reuses the embedded database a hard-killed start left running', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aa-startup-'));
    // Private as made; the server runs as the `postgres` system user when we are root.
    chmodSync(dir, 0o755);
    const port = 55530;
    const first = await startEmbeddedDatabase(dir, port);
    try {
      const second = await startEmbeddedDatabase(dir, port);
      expect(second.url).toBe(first.url);
      const other = mkdtempSync(path.join(os.tmpdir(), 'aa-startup-other-'));
      chmodSync(other, 0o755);
      const refused = await startEmbeddedDatabase(other, port).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConfigError);
      expect(existsSync(path.join(other, 'pg', 'PG_VERSION'))).toBe(false);
      rmSync(other, { recursive: true, force: true });
    } finally {
      await first.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('supervise', () => {
  const node = process.execPath;

  it('does not restart a process that exits with the configuration code', async () => {
    let configErrors = 0;
    const marker = randomUUID();
    const gaveUp = new Promise<void>((resolve) => {
      supervise('probe', node, ['-e', `process.exit(${EXIT_CONFIG})`], scriptEnv(marker), {
        onConfigError: () => {
          configErrors += 1;
          resolve();
        },
      });
    });
    await gaveUp;
    // Longer than the first restart pause (2 s would be the second launch's).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(configErrors).toBe(1);
    expect(processesMarked(marker)).toEqual([]);
  });

  it('restarts a crashed process, and not once stopped during the pause', async () => {
    const marker = randomUUID();
    const counter = path.resolve('tmp', `startup-test-${marker}.count`);
    const script = `require('fs').appendFileSync(${JSON.stringify(counter)}, 'x'); process.exit(1)`;
    const supervised = supervise('probe', node, ['-e', script], scriptEnv(marker), {
      onConfigError: () => expect.fail('a crash is not a configuration error'),
    });
    const launches = () => (existsSync(counter) ? readFileSync(counter, 'utf8').length : 0);
    const deadline = Date.now() + 10_000;
    while (launches() < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(launches()).toBe(2);
    await supervised.stop();
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(launches()).toBe(2);
    rmSync(counter);
  });

  it('refuses, before initdb, a DATA_DIR under a folder the postgres user cannot pass', async () => {
    // Only root hands the server to the `postgres` user; others run it themselves.
    if (process.getuid?.() !== 0) return;
    const passwordFiles = () => readdirSync(os.tmpdir()).filter((f) => f.startsWith('pg-password-'));
    const before = passwordFiles();
    const closed = mkdtempSync(path.join(os.tmpdir(), 'aa-startup-private-'));
    try {
      const refused = await startEmbeddedDatabase(path.join(closed, 'data'), 55531).catch(
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as Error).message).toContain(`The folder ${closed} is private`);
      expect(existsSync(path.join(closed, 'data', 'pg', 'PG_VERSION'))).toBe(false);
      expect(passwordFiles()).toEqual(before);
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });
});
