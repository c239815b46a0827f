/**
 * The system test: the production build served by `next start` and two runner processes on one
 * fresh database of the machine's Postgres, driven over real HTTP, then the browser specs.
 * Prints "N passed, N failed" as its last line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';

import { ensureWebBuild } from '../scripts/lib/build';
import { webCommand } from '../scripts/lib/processes';
import { prepareDatabase } from '../scripts/lib/prepare';
import { createTestDatabase, startRunner } from '../test/harness';

const PORT = Number(process.env.E2E_PORT ?? 3100);
const base = `http://127.0.0.1:${PORT}`;
const results = { passed: 0, failed: 0 };

async function check(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    results.passed += 1;
    console.log(`ok - ${name}`);
  } catch (error) {
    results.failed += 1;
    console.log(`not ok - ${name}\n${error instanceof Error ? error.stack : String(error)}`);
  }
}

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'auth-token': 't' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function waitForHealth(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok).catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the web process did not become healthy within 60 s');
}

async function main(): Promise<void> {
  ensureWebBuild();
  const database = await createTestDatabase();
  // The seeded admin's password, known to the specs (e2e/session.ts signs in with it), and a
  // session secret of this run's own, so the web process writes nothing under DATA_DIR.
  process.env.DEMO_ADMIN_PASSWORD ??= randomBytes(12).toString('base64url');
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString('base64url');
  await prepareDatabase(database.url);
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: database.url,
    DEV_API_TOKEN: 't',
    PORT: String(PORT),
    // The load checks below send more than the default per-minute budgets allow.
    ACTIONS_RATE_LIMIT_RUN: '10000',
    ACTIONS_RATE_LIMIT_CRUD: '10000',
  };
  const web = spawn(...webCommand(PORT, '127.0.0.1'), {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const runners = await Promise.all([startRunner(database.url), startRunner(database.url)]);
  try {
    await waitForHealth();
    await check('health answers { ok: true }', async () => {
      const response = await fetch(`${base}/api/health`);
      assert.deepEqual(await response.json(), { ok: true });
    });
    await check('create ping, run it with a result, read its log', async () => {
      const created = await api('POST', '/v3/apps/1/actions', {
        name: 'ping',
        code: 'async function execute(context) { return { pong: context.payload.n + 1 }; }',
        active: true,
        triggers: [{ trigger: 'manual' }],
      });
      assert.equal(created.status, 201);
      const run = await api('POST', '/v3/apps/1/actions/ping/run-with-result?version=master', { n: 41 });
      assert.deepEqual(run, { status: 200, body: { pong: 42 } });
      const logs = await api('GET', '/v3/apps/1/actions/logs?limit=1');
      const entry = (logs.body as { logs: { type: string; data: Record<string, unknown> }[] }).logs[0];
      assert.equal(entry?.type, 'app.task.completed');
      assert.equal((entry?.data.result as { data: { pong: number } }).data.pong, 42);
      assert.equal(entry?.data.mode, 'on-demand');
      assert.equal(entry?.data.runOn, 'server');
    });
    await check('every asset URL of an action serves its script', async () => {
      const created = await api('POST', '/v3/apps/1/actions', {
        name: 'with-assets',
        code: 'async function execute(context) { return 1; }',
        dependencies: [
          'fliplet-datasources',
          'https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.30.1/moment.min.js',
        ],
      });
      assert.equal(created.status, 201);
      const { assets } = (created.body as { action: { assets: { url: string; path: string }[] } })
        .action;
      assert.equal(assets.length, 2);
      for (const asset of assets) {
        assert.ok(asset.url.endsWith(`/${asset.path}`), asset.url);
        // The URL's host is PUBLIC_URL's (localhost); the path is what this server answers.
        const response = await fetch(`${base}/${asset.path}`);
        assert.equal(response.status, 200, asset.path);
        assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
        assert.ok((await response.text()).length > 100, asset.path);
      }
      const missing = await fetch(`${base}/assets/libraries/moment/2.30.1/moment.js`);
      assert.equal(missing.status, 404);
    });
    await check('the favicon is served', async () => {
      const response = await fetch(`${base}/favicon.ico`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/x-icon');
    });
    await check('two runners share the queue: 60 queued runs, each logged exactly once', async () => {
      const runIds = new Set<string>();
      for (let i = 0; i < 60; i += 1) {
        // Numbered from 1000, apart from the earlier run's 41 and from runs without an `n`.
        const queued = await api('POST', '/v3/apps/1/actions/ping/run?version=master', {
          n: 1000 + i,
        });
        assert.equal(queued.status, 202);
        runIds.add((queued.body as { runId: string }).runId);
      }
      const deadline = Date.now() + 30_000;
      let payloads: number[] = [];
      while (Date.now() < deadline) {
        const logs = await api('GET', '/v3/apps/1/actions/logs?limit=200');
        payloads = (logs.body as { logs: { data: { payload: { n: number } } }[] }).logs
          .map((l) => l.data.payload.n)
          .filter((n) => n >= 1000);
        if (payloads.length >= 60) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(runIds.size, 60);
      assert.equal(payloads.length, 60);
      assert.equal(new Set(payloads).size, 60);
    });
    browserSpecs();
  } finally {
    await Promise.all(runners.map((r) => r.stop()));
    web.kill('SIGTERM');
    await new Promise((resolve) => web.once('exit', resolve));
    await database.drop();
  }
}

/** The Playwright specs run in their own process and report their own tally. */
function browserSpecs(): void {
  // `npm run test:e2e -- OUTBOX` runs only the specs whose name contains OUTBOX.
  const filter = process.argv.slice(2, 3);
  const result = spawnSync('npx', ['tsx', 'e2e/run.ts', ...filter], {
    env: { ...process.env, E2E_BASE_URL: base },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(result.stdout);
  const match = /(\d+) passed, (\d+) failed\s*$/.exec(result.stdout.trim());
  if (!match) {
    results.failed += 1;
    console.log('not ok - browser specs did not report a tally');
    return;
  }
  results.passed += Number(match[1]);
  results.failed += Number(match[2]);
}

main()
  .catch((error: unknown) => {
    results.failed += 1;
    console.log(`not ok - system test setup\n${error instanceof Error ? error.stack : String(error)}`);
  })
  .finally(() => {
    console.log(`${results.passed} passed, ${results.failed} failed`);
    process.exit(results.failed > 0 ? 1 : 0);
  });
