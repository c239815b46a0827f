/**
 * `npm run bench`: the runner's speed on this machine, against the machine's PostgreSQL, with
 * a bare isolated-vm isolate in this process as the baseline. Prints figures; asserts nothing.
 *   1. latency of one trivial run: bare isolate, our sandbox in-process, our sandbox pool,
 *      and runWithResult over REST (production build + one runner);
 *   2. throughput of queued runs with one and with two runners;
 *   3. resident memory of an idle runner and of one under load.
 */
import { spawn } from 'node:child_process';

import { sql } from 'drizzle-orm';
import ivm from 'isolated-vm';

import { executeInIsolate } from '../server/runner/sandbox/executor';
import { SandboxPool } from '../server/runner/sandbox/pool';
import type { SandboxRequest } from '../server/runner/sandbox/types';
import { createDatabase } from '../server/db/client';
import { actionLogs } from '../server/db/schema';
import { RUN_COMPLETED } from '../server/runs/logs';
import { enqueueRunBatch } from './enqueue';
import { ensureWebBuild } from '../scripts/lib/build';
import { webCommand } from '../scripts/lib/processes';
import { prepareDatabase } from '../scripts/lib/prepare';
import { createTestDatabase, startRunner, type RunnerProcess } from '../test/harness';
import { cpuMs, machineBusyMs, measure, residentMb, stageMedians, type Latency } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const QUEUED = Number(process.env.BENCH_QUEUED ?? 1500);
const PORT = 3200;
const CODE = 'async function execute(context) { return { pong: context.payload.n + 1 }; }';

async function bareIsolate(): Promise<void> {
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  try {
    const context = await isolate.createContext();
    const script = await isolate.compileScript(`${CODE}; execute({ payload: { n: 1 } }).then(JSON.stringify)`);
    await script.run(context, { promise: true, copy: true });
  } finally {
    isolate.dispose();
  }
}

const sandboxRequest: SandboxRequest = {
  code: CODE,
  payload: { n: 1 },
  timeoutMs: 5_000,
  memoryMb: 128,
  preludes: [{ name: 'fliplet.js', source: 'globalThis.Fliplet = {};' }],
};

function row(label: string, latency: Latency, baseline?: Latency): string {
  const ratio = baseline ? `  (+${(latency.p50 - baseline.p50).toFixed(2)} ms p50, ` +
    `+${(latency.p99 - baseline.p99).toFixed(2)} ms p99 over bare)` : '';
  return `${label.padEnd(34)} p50 ${latency.p50.toFixed(2)}  p95 ${latency.p95.toFixed(2)}  ` +
    `p99 ${latency.p99.toFixed(2)} ms${ratio}`;
}

async function waitForHealth(base: string): Promise<void> {
  for (let i = 0; i < 240; i += 1) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok).catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('web did not start');
}

interface Throughput {
  runsPerSecond: number;
  /** CPU per run of the runner processes with their sandbox children, and of the machine. */
  runnerCpuMs: number;
  machineCpuMs: number;
}

/**
 * Runs per second of `runners` runner processes draining QUEUED queued runs, timed from the
 * moment every runner is ready to take jobs (process start-up is not part of the rate).
 */
async function throughput(
  url: string,
  runners: number,
  actionId: number,
  config: Record<string, string>,
): Promise<Throughput> {
  const db = createDatabase(url, { max: 2 });
  try {
    await db.delete(actionLogs).where(sql`true`);
    await enqueueRunBatch(db, actionId, QUEUED);
    const procs: RunnerProcess[] = await Promise.all(
      Array.from({ length: runners }, () => startRunner(url, { ...config, LOG_LEVEL: 'warn' })),
    );
    const [{ n: before } = { n: 0 }] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from action_logs`,
    );
    const pids = procs.map((p) => p.child.pid ?? 0);
    const runnerCpu = () => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
    const cpuBefore = { runners: runnerCpu(), machine: machineBusyMs() };
    const started = performance.now();
    try {
      for (;;) {
        const [{ n } = { n: 0 }] = await db.execute<{ n: number }>(
          sql`select count(*)::int as n from action_logs`,
        );
        if (n >= QUEUED) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const done = QUEUED - before;
      const rate = done / ((performance.now() - started) / 1000);
      const runnerCpuMs = (runnerCpu() - cpuBefore.runners) / done;
      const machineCpuMs = (machineBusyMs() - cpuBefore.machine) / done;
      const [{ failed } = { failed: -1 }] = await db.execute<{ failed: number }>(
        sql`select count(*)::int as failed from action_logs where type <> ${RUN_COMPLETED}`,
      );
      // Every run is logged once (run_id is unique); any failure would be an error to report.
      if (failed !== 0) throw new Error(`${failed} of ${QUEUED} queued runs failed`);
      return { runsPerSecond: rate, runnerCpuMs, machineCpuMs };
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
    }
  } finally {
    await db.$client.end();
  }
}

async function main(): Promise<void> {
  console.log(`App Actions benchmark — ${RUNS} timed runs per latency figure, ${QUEUED} queued runs, ` +
    `RUNNER_CONCURRENCY=${process.env.RUNNER_CONCURRENCY ?? '2 (default)'}`);
  const bare = await measure(RUNS, bareIsolate);
  console.log(row('bare isolated-vm (baseline)', bare));
  console.log(row('sandbox executor, in-process', await measure(RUNS, () =>
    executeInIsolate(sandboxRequest, async () => null)), bare));
  const pool = new SandboxPool({ size: 1 });
  console.log(row('sandbox pool (child process)', await measure(RUNS, () =>
    pool.run(sandboxRequest, async () => null)), bare));
  await pool.close();

  const database = await createTestDatabase();
  await prepareDatabase(database.url);
  ensureWebBuild();
  const base = `http://127.0.0.1:${PORT}`;
  const web = spawn(...webCommand(PORT, '127.0.0.1'), {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', DATABASE_URL: database.url,
      DEV_API_TOKEN: 'bench', LOG_LEVEL: 'warn',
      ACTIONS_RATE_LIMIT_RUN: '1000000', ACTIONS_RATE_LIMIT_CRUD: '1000000' },
    stdio: 'ignore',
  });
  try {
    await waitForHealth(base);
    const headers = { 'auth-token': 'bench', 'content-type': 'application/json' };
    const created = await fetch(`${base}/v3/apps/1/actions`, {
      method: 'POST', headers,
      body: JSON.stringify({ name: 'bench', code: CODE, active: true, triggers: [{ trigger: 'manual' }] }),
    }).then((r) => r.json() as Promise<{ action: { id: number } }>);
    const runner = await startRunner(database.url, { LOG_LEVEL: 'warn' });
    const idleMb = residentMb(runner.child.pid ?? 0);
    let loadMb = 0;
    const rest = await measure(RUNS, async () => {
      const response = await fetch(`${base}/v3/apps/1/actions/bench/run-with-result?version=master`, {
        method: 'POST', headers, body: '{"n":41}',
      });
      if (!response.ok) throw new Error(`run failed: ${response.status} ${await response.text()}`);
      await response.json();
    });
    loadMb = residentMb(runner.child.pid ?? 0);
    console.log(row('runWithResult over REST', rest, bare));
    console.log(`overhead ratio (REST p50 / bare p50): ${(rest.p50 / bare.p50).toFixed(1)}x`);
    const stages = Object.entries(stageMedians(runner.output(), 20))
      .map(([stage, ms]) => `${stage.replace(/Ms$/, '')} ${ms}`)
      .join(', ');
    console.log(`  runner stages, medians in ms (queue counts from the enqueue statement): ${stages}`);
    await runner.stop();

    // The default (a child per run in flight), and twice as many runs in flight as children: a
    // run on the database leaves its child to another run (see docs/runner.md for the cost).
    const configs: Record<string, string>[] = [{}, { RUNNER_CONCURRENCY: '4', RUNNER_SANDBOXES: '2' }];
    for (const config of configs) {
      const label = Object.entries(config).map(([k, v]) => `${k}=${v}`).join(' ') || 'defaults';
      for (const runners of [1, 2]) {
        const rate = await throughput(database.url, runners, created.action.id, config);
        console.log(`throughput, ${runners} runner${runners > 1 ? 's' : ' '} (${label}): ` +
          `${rate.runsPerSecond.toFixed(0)} runs/s; CPU per run: runners with their children ` +
          `${rate.runnerCpuMs.toFixed(1)} ms, whole machine ${rate.machineCpuMs.toFixed(1)} ms`);
      }
    }
    console.log(`runner resident memory (with its sandbox children): idle ${idleMb} MB, ` +
      `after ${RUNS} runs ${loadMb} MB`);
  } finally {
    web.kill('SIGTERM');
    await new Promise((resolve) => web.once('exit', resolve));
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
