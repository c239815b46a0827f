import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MAX_HOST_VALUE_DEPTH, MAX_RESULT_DEPTH } from './limits';
import { SandboxPool } from './pool';
import {
  action,
  delay,
  expectFailure,
  expectSuccess,
  expectTimeout,
  recordingBridge,
  sandboxRequest,
  watchEventLoop,
} from './test-support';
import type { HostBridge } from './types';

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await delay(10);
  }
}

function busyPid(pool: SandboxPool): number {
  const pid = pool.stats().children.find((child) => child.status === 'busy')?.pid;
  if (pid === undefined) throw new Error('no busy child');
  return pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const spin = (ms: number, value: string) =>
  action(`const t = Date.now(); while (Date.now() - t < ${ms}) {} return '${value}';`);

describe('[sandbox pool] runs in child processes', () => {
  let pool: SandboxPool;
  const secret = 'postgres://user:secret@127.0.0.1:5432/db';

  beforeAll(() => {
    // Set before the children start: none of it may reach them.
    process.env.DATABASE_URL = secret;
    pool = new SandboxPool({ size: 2 });
  });

  afterAll(async () => {
    await pool.close();
    delete process.env.DATABASE_URL;
  });

  it('runs an action with its payload and host calls over IPC', async () => {
    const recording = recordingBridge();
    const code = `async function execute(context) {
      const echoed = await Test.echo(context.payload.n);
      let failure;
      try { await Test.fail(); } catch (e) { failure = [e instanceof Error, e.name, e.message]; }
      console.log('done');
      return { echoed, failure, tz: new Date(0).getTimezoneOffset() };
    }`;
    const outcome = await pool.run(sandboxRequest(code, { payload: { n: 7 } }), recording.bridge);
    expect(expectSuccess(outcome)).toEqual({
      echoed: [7],
      failure: [true, 'TypeError', 'Invalid arguments: []'],
      tz: 0,
    });
    expect(outcome.console.map((line) => line.message)).toEqual(['done']);
    expect(recording.calls.map((call) => call.method)).toEqual(['echo', 'fail']);
  });

  it('gives the children none of the parent environment, and a lower priority', () => {
    for (const { pid } of pool.stats().children) {
      if (pid === undefined) throw new Error('child without pid');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
      expect(environ.some((entry) => entry.startsWith('DATABASE_URL='))).toBe(false);
      expect(environ.join('\n')).not.toContain(secret);
      expect(environ).toContain('TZ=UTC');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline).toContain('--max-old-space-size=256');
      expect(getPriority(pid)).toBe(10);
    }
  });

  it('runs two actions at once and queues the third', async () => {
    const bridge = recordingBridge().bridge;
    await waitFor(() => pool.stats().idle === 2);
    const started = performance.now();
    const runs = ['a', 'b', 'c'].map((value) => pool.run(sandboxRequest(spin(300, value)), bridge));
    await delay(100);
    const during = pool.stats();
    expect([during.busy, during.queued]).toEqual([2, 1]);
    const results = (await Promise.all(runs)).map(expectSuccess);
    expect(results).toEqual(['a', 'b', 'c']);
    const wall = performance.now() - started;
    expect(wall).toBeGreaterThanOrEqual(600);
    expect(wall).toBeLessThan(1200);
  });

  it('applies the time limit in the child; the parent stays responsive (C19, C20)', async () => {
    const recording = recordingBridge();
    const loop = watchEventLoop();
    const started = performance.now();
    const [awaiting, spinning] = await Promise.all([
      pool.run(sandboxRequest(action('for (;;) { await Test.echo(1); }')), recording.bridge),
      pool.run(sandboxRequest(action('await null; while (true) {}')), recording.bridge),
    ]);
    const wall = performance.now() - started;
    expect(loop.stop()).toBeLessThan(200);
    expectTimeout(awaiting, 1000, wall);
    expectTimeout(spinning, 1000, wall);
    const callsAtEnd = recording.calls.length;
    await delay(100);
    expect(recording.calls.length).toBe(callsAtEnd);
  });

  it('applies the memory limit per run and the child goes on (C21)', async () => {
    const code = action('const a = []; for (;;) a.push(new Array(1e5).fill(1));');
    const bridge = recordingBridge().bridge;
    const request = sandboxRequest(code, { timeoutMs: 10_000 });
    const failure = expectFailure(await pool.run(request, bridge));
    expect(failure).toMatchObject({ limit: 'memory', error: { name: 'MemoryLimitError' } });
    expect(expectSuccess(await pool.run(sandboxRequest(spin(0, 'next')), bridge))).toBe('next');
    expect(pool.stats().restarts).toBe(0);
  });

  it('keeps results, stray rejections and pollution inside their run', async () => {
    const bridge = recordingBridge().bridge;
    const payload = JSON.parse('{"__proto__":{"polluted":1}}') as unknown;
    const first = await pool.run(
      sandboxRequest(
        `async function execute(context) {
          Object.assign(Object.prototype, { polluted: 1 });
          Promise.reject(new Error('stray'));
          return Object.keys(context.payload);
        }`,
        { payload },
      ),
      bridge,
    );
    expect(expectSuccess(first)).toEqual(['__proto__']);
    expect(first.console.map((line) => line.message)).toEqual([
      'Unhandled promise rejection: Error: stray',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const outcomes = await Promise.all(
      [1, 2].map(() =>
        pool.run(sandboxRequest(action('return ({}).polluted ?? "clean";')), bridge),
      ),
    );
    for (const outcome of outcomes) expect(outcome).toMatchObject({ result: 'clean', console: [] });
  });

  it('refuses a malformed request before queueing it', async () => {
    const request = sandboxRequest('async function execute() {}', { memoryMb: 1 });
    await expect(pool.run(request, recordingBridge().bridge)).rejects.toThrow(/memoryMb/);
  });
});

describe('[sandbox pool] deep values never reach recursive code', () => {
  let pool: SandboxPool;
  const nestedSource = (depth: number) =>
    `JSON.parse('{"a":'.repeat(${depth}) + '1' + '}'.repeat(${depth}))`;

  beforeAll(() => {
    pool = new SandboxPool({ size: 1 });
  });

  afterAll(async () => {
    await pool.close();
  });

  it('refuses host-call arguments nested past the cap, in the child, with a clear error', async () => {
    const recording = recordingBridge();
    const code = action(`
      const refused = await Test.echo(${nestedSource(3000)}).catch((e) => [e.name, e.message]);
      const fits = await Test.echo(${nestedSource(MAX_HOST_VALUE_DEPTH - 1)});
      return { refused, fits: JSON.stringify(fits).length };`);
    const outcome = await pool.run(sandboxRequest(code, { timeoutMs: 5000 }), recording.bridge);
    expect(expectSuccess(outcome)).toEqual({
      refused: [
        'RangeError',
        `The arguments of Test.echo nest deeper than ${MAX_HOST_VALUE_DEPTH} levels`,
      ],
      // [ + 127 × {"a": + 1 + 127 × } + ]
      fits: 2 + 127 * 6 + 1,
    });
    // Only the call that fits reached the host; the child lives on.
    expect(recording.calls).toHaveLength(1);
    expect(pool.stats()).toMatchObject({ crashed: 0, restarts: 0 });
  });

  it('refuses a host reply nested past the cap (stored data), and the run goes on', async () => {
    const deep = JSON.parse('{"a":'.repeat(3500) + '1' + '}'.repeat(3500)) as unknown;
    const bridge: HostBridge = async (call) => (call.method === 'echo' ? deep : 'fine');
    const code = action(`
      const refused = await Test.echo().catch((e) => [e.name, e.message]);
      return { refused, next: await Test.slow() };`);
    const outcome = await pool.run(sandboxRequest(code, { timeoutMs: 5000 }), bridge);
    expect(expectSuccess(outcome)).toEqual({
      refused: [
        'RangeError',
        `Test.echo returned a value nested deeper than ${MAX_HOST_VALUE_DEPTH} levels, ` +
          'which cannot be passed to the action',
      ],
      next: 'fine',
    });
    expect(pool.stats()).toMatchObject({ crashed: 0, restarts: 0 });
  });

  it('returns a result nested 1000 levels deep and refuses 1001', async () => {
    const bridge = recordingBridge().bridge;
    const request = (depth: number) =>
      sandboxRequest(action(`return ${nestedSource(depth)};`), { timeoutMs: 5000 });
    const result = expectSuccess(await pool.run(request(MAX_RESULT_DEPTH), bridge));
    expect(JSON.stringify(result)).toBe('{"a":'.repeat(1000) + '1' + '}'.repeat(1000));
    const failure = expectFailure(await pool.run(request(MAX_RESULT_DEPTH + 1), bridge));
    expect(failure.error.name).toBe('UnserializableResultError');
    expect(failure.error.message).toContain('values nested more than 1000 levels deep');
  });
});

describe('[sandbox pool] crashes and hangs', () => {
  it('a child killed mid-run fails only that run, and is replaced', async () => {
    const pool = new SandboxPool({ size: 2 });
    try {
      const recording = recordingBridge();
      const victim = pool.run(
        sandboxRequest('async function execute() { await Test.slow(); }', { timeoutMs: 10_000 }),
        recording.bridge,
      );
      await waitFor(() => recording.calls.length === 1);
      // The only busy child is the victim's; then a second run starts on the other child.
      const victimPid = busyPid(pool);
      const slowRequest = sandboxRequest(spin(600, 'survived'), { timeoutMs: 10_000 });
      const bystander = pool.run(slowRequest, recording.bridge);
      await waitFor(() => pool.stats().busy === 2);
      process.kill(victimPid, 'SIGKILL');

      const failure = expectFailure(await victim);
      expect(failure.limit).toBe('crash');
      expect(failure.error.name).toBe('SandboxCrashError');
      expect(failure.error.message).toMatch(/ended unexpectedly \(signal SIGKILL\)/);
      // The host work of the lost run is told to stop.
      expect(recording.signals[0]?.aborted).toBe(true);
      expect(expectSuccess(await bystander)).toBe('survived');

      const next = await pool.run(sandboxRequest(spin(0, 'after')), recording.bridge);
      expect(expectSuccess(next)).toBe('after');
      expect(pool.stats()).toMatchObject({ crashed: 1, restarts: 1 });
    } finally {
      await pool.close();
    }
  });

  it('a child that stops answering is killed after the timeout and a grace period', async () => {
    const pool = new SandboxPool({ size: 1, graceMs: 300 });
    try {
      const recording = recordingBridge();
      const started = performance.now();
      const frozen = pool.run(
        sandboxRequest(action('await Test.echo(1); for (;;) {}'), { timeoutMs: 500 }),
        recording.bridge,
      );
      await waitFor(() => recording.calls.length === 1);
      const pid = busyPid(pool);
      // A stopped process answers nothing: like a hang in native code.
      process.kill(pid, 'SIGSTOP');
      const failure = expectFailure(await frozen);
      const wall = performance.now() - started;
      expect(failure).toMatchObject({ limit: 'timeout', error: { name: 'TimeoutError' } });
      expect(wall).toBeGreaterThanOrEqual(800);
      // Without the watchdog the run would never end; the bound leaves room for a loaded CI box.
      expect(wall).toBeLessThan(6000);
      await waitFor(() => !isAlive(pid));
      const next = await pool.run(sandboxRequest(spin(0, 'fresh')), recording.bridge);
      expect(expectSuccess(next)).toBe('fresh');
    } finally {
      await pool.close();
    }
  });
});

describe('[sandbox pool] close', () => {
  it('waits for queued and running runs, then ends the children', async () => {
    const pool = new SandboxPool({ size: 2 });
    const bridge = recordingBridge().bridge;
    await waitFor(() => pool.stats().idle === 2);
    const pids = pool.stats().children.map((child) => child.pid);
    const runs = ['x', 'y', 'z'].map((value) => pool.run(sandboxRequest(spin(200, value)), bridge));
    await pool.close();
    const results = (await Promise.all(runs)).map(expectSuccess);
    expect(results).toEqual(['x', 'y', 'z']);
    for (const pid of pids) {
      if (pid !== undefined) expect(isAlive(pid)).toBe(false);
    }
    await expect(pool.run(sandboxRequest(spin(0, 'late')), bridge)).rejects.toThrow(/closed/);
  });
});

describe('[sandbox pool] start', () => {
  it('says when every child is ready to take a run', async () => {
    const pool = new SandboxPool({ size: 2 });
    try {
      expect(pool.stats().starting).toBe(2);
      await pool.started();
      expect(pool.stats()).toMatchObject({ starting: 0, idle: 2 });
      // Already started: answers at once.
      await pool.started();
    } finally {
      await pool.close();
    }
  });
});
