import { readdirSync, readFileSync } from 'node:fs';

/** Latency figures over repeated calls, after a warm-up. */
export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

export function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100));
  return Math.round((sorted[index] ?? Number.NaN) * 100) / 100;
}

export async function measure(
  runs: number,
  call: () => Promise<unknown>,
  warmup = 20,
): Promise<Latency> {
  for (let i = 0; i < warmup; i += 1) await call();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

/** Resident memory of a process and its children, in MB, from /proc. */
export function residentMb(pid: number): number {
  const rss = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  };
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
  return Math.round((rss(pid) + children.reduce((sum, c) => sum + rss(c), 0)) * 10) / 10;
}

/** Medians of the per-stage times a runner logs with each finished run (server/runner/run-task). */
export function stageMedians(runnerOutput: string, skip: number): Record<string, number> {
  const stages = ['queueMs', 'leaseMs', 'handoverMs', 'sandboxMs', 'recordMs'] as const;
  const runs = runnerOutput
    .split('\n')
    .filter((line) => line.includes('"run finished"'))
    .slice(skip)
    .map((line) => JSON.parse(line) as Record<string, number>);
  const medians: Record<string, number> = {};
  for (const stage of stages) {
    const sorted = runs.map((run) => run[stage] ?? Number.NaN).sort((a, b) => a - b);
    medians[stage] = percentile(sorted, 50);
  }
  return medians;
}
