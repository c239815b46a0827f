/**
 * Cost of one trivial run, in this process and through the pool:
 * `node --import tsx server/runner/sandbox/bench.ts [runs]`. Prints one JSON line.
 */
import { executeInIsolate } from './executor';
import { SandboxPool } from './pool';
import type { HostBridge, SandboxRequest } from './types';

const RUNS = Number(process.argv[2] ?? 200);
const WARMUP = 20;

const request: SandboxRequest = {
  code: 'async function execute(context) { return { ok: true, n: context.payload.n }; }',
  payload: { n: 1 },
  timeoutMs: 5_000,
  memoryMb: 64,
  preludes: [{ name: 'fliplet.js', source: 'globalThis.Fliplet = {};' }],
};
const bridge: HostBridge = async () => null;

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100));
  return Math.round((sorted[index] ?? Number.NaN) * 100) / 100;
}

async function measure(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARMUP; i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function main(): Promise<void> {
  const inProcess = await measure(() => executeInIsolate(request, bridge));
  const pool = new SandboxPool({ size: 1 });
  try {
    const pooled = await measure(() => pool.run(request, bridge));
    process.stdout.write(`${JSON.stringify({ runs: RUNS, inProcess, pool: pooled })}\n`);
  } finally {
    await pool.close();
  }
}

void main();
