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

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
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
  const total = [pid, ...childrenOf(pid)].reduce((sum, p) => sum + rss(p), 0);
  return Math.round(total * 10) / 10;
}

/** CPU time (user + system, ms) a process and its children have used so far, from /proc. */
export function cpuMs(pid: number): number {
  const used = (p: number) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS);
    } catch {
      return 0;
    }
  };
  return [pid, ...childrenOf(pid)].reduce((sum, p) => sum + used(p), 0);
}

/** CPU time (ms) the whole machine has spent busy so far, all cores, from /proc/stat. */
export function machineBusyMs(): number {
  const [, user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .split(/\s+/)
    .map(Number);
  return (user + nice + system + irq + softirq) * (1000 / CLOCK_TICKS);
}

/** Linux reports CPU times in ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const CLOCK_TICKS = 100;

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
