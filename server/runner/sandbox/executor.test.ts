import { describe, expect, it } from 'vitest';

import { MAX_RESULT_BYTES, executeInIsolate } from './executor';
import { MAX_CONSOLE_BYTES, MAX_CONSOLE_LINES, MAX_PENDING_HOST_CALLS } from './limits';
import {
  action,
  delay,
  expectFailure,
  expectSuccess,
  expectTimeout,
  recordingBridge,
  sandboxRequest,
  testPrelude,
  watchEventLoop,
} from './test-support';
import type { SandboxRequest } from './types';

async function run(code: string, overrides: Partial<SandboxRequest> = {}) {
  return executeInIsolate(sandboxRequest(code, overrides), recordingBridge().bridge);
}

async function resultOf(expression: string): Promise<unknown> {
  return expectSuccess(await run(`async function execute() { return ${expression}; }`));
}

async function resultError(expression: string) {
  return expectFailure(await run(`async function execute() { ${expression} }`)).error;
}

describe('[sandbox] code forms and payload', () => {
  const forms = {
    'async function declaration': 'async function execute(context) { return context.payload; }',
    'const arrow': 'const execute = async (context) => context.payload;',
    'let arrow': 'let execute = async (context) => {\n  return context.payload;\n};',
    'const function expression':
      'const execute = async function (context) { return context.payload; };',
  };

  for (const [form, code] of Object.entries(forms)) {
    it(`runs the ${form} form with the payload`, async () => {
      const payload = { entryId: 123, name: 'Nick', nested: { list: [1, 'two', null] } };
      expect(expectSuccess(await run(code, { payload }))).toEqual(payload);
    });
  }

  it('gives an empty payload object when none is passed', async () => {
    const code = action('return [context.payload, Object.keys(context)];');
    expect(expectSuccess(await run(code, { payload: undefined }))).toEqual([{}, ['payload']]);
  });

  it('fails clearly when execute is not defined', async () => {
    const failure = expectFailure(await run('async function run(context) { return 1; }'));
    expect(failure.error.name).toBe('ExecuteNotDefinedError');
    expect(failure.error.message).toMatch(/function named execute/);
    expect(failure.limit).toBeUndefined();
  });

  it('fails clearly when execute is not a function', async () => {
    const failure = expectFailure(await run('const execute = 42;'));
    expect(failure.error.name).toBe('ExecuteNotDefinedError');
    expect(failure.error.message).toMatch(/must be a function, but it is number/);
  });

  it('runs preludes in order, then hides __hostCall from the action', async () => {
    const preludes = [
      testPrelude,
      { name: 'second.js', source: 'globalThis.order = [typeof Test, typeof __hostCall];' },
    ];
    const code = 'async function execute() { return [...order, typeof __hostCall]; }';
    const expected = ['object', 'function', 'undefined'];
    expect(expectSuccess(await run(code, { preludes }))).toEqual(expected);
  });

  it('keeps nothing from one run to the next', async () => {
    await run('globalThis.leftover = 1; Object.prototype.polluted = 1;' + action(''));
    const code = 'async function execute() { return [typeof leftover, ({}).polluted]; }';
    expect(expectSuccess(await run(code))).toEqual(['undefined', null]);
  });
});

describe('[sandbox] errors thrown by the action', () => {
  it('keeps name, message and the action line in the stack', async () => {
    const code = [
      'async function execute() {',
      '  const a = 1;',
      '  throw new TypeError("boom " + a);',
      '}',
    ].join('\n');
    const { error } = expectFailure(await run(code));
    expect(error.name).toBe('TypeError');
    expect(error.message).toBe('boom 1');
    expect(error.stack).toContain('action.js:3:9');
    expect(error.stack).not.toContain('sandbox-internal');
  });

  it('points at the line of a top-level error', async () => {
    const { error } = expectFailure(await run('async function execute() {}\n\nnull.x;'));
    expect(error.name).toBe('TypeError');
    expect(error.stack).toContain('action.js:3:');
    // Host file paths from below the isolate boundary never reach the run log.
    expect(error.stack).not.toMatch(/isolated-vm|file:\/\/|node_modules/);
  });

  it('reports a syntax error with its position', async () => {
    const { error } = expectFailure(await run('async function execute() {\n  return );\n}'));
    expect(error.name).toBe('SyntaxError');
    expect(error.message).toContain('action.js:2:');
  });

  it('keeps a custom error name', async () => {
    const code = 'class MyError extends Error { name = "MyError"; }\n' +
      'async function execute() { throw new MyError("mine"); }';
    const { error } = expectFailure(await run(code));
    expect([error.name, error.message]).toEqual(['MyError', 'mine']);
  });

  const nonErrors: [string, string][] = [
    ['"a string"', '"a string"'],
    ['42', '42'],
    ['{ code: 7, reason: "x" }', '{"code":7,"reason":"x"}'],
    ['null', 'null'],
    ['undefined', 'undefined'],
    ['10n', '10n'],
  ];
  for (const [thrown, shown] of nonErrors) {
    it(`turns a thrown ${thrown} into a NonErrorThrown error`, async () => {
      const error = await resultError(`throw ${thrown};`);
      expect(error.name).toBe('NonErrorThrown');
      expect(error.message).toBe(`The action threw a non-Error value: ${shown}`);
    });
  }

  it('turns a non-Error thrown at the top level into a NonErrorThrown error', async () => {
    const { error } = expectFailure(await run('throw "top";'));
    expect(error.name).toBe('NonErrorThrown');
    expect(error.message).toContain('"top"');
  });
});

describe('[sandbox] results (case C24 and its class)', () => {
  it('(a) refuses a function and names its path', async () => {
    const error = await resultError('return { fn: () => 1 };');
    expect(error.name).toBe('UnserializableResultError');
    expect(error.message).toMatch(/function at \$\.fn/);
  });

  it('(b) refuses a BigInt and names its path', async () => {
    expect((await resultError('return { n: 10n };')).message).toMatch(/BigInt at \$\.n\b/);
  });

  it('(c) refuses a circular reference and names its path', async () => {
    const error = await resultError('const o = {}; o.self = o; return o;');
    expect(error.message).toMatch(/circular reference at \$\.self\b/);
  });

  it('(d) turns a Date into its ISO string', async () => {
    expect(await resultOf("new Date('2026-12-04T00:00:00Z')")).toBe('2026-12-04T00:00:00.000Z');
  });

  it('(e) turns undefined into no result (null)', async () => {
    expect(await resultOf('undefined')).toBeNull();
  });

  it('(f) drops undefined members and turns NaN into null', async () => {
    expect(await resultOf('{ a: undefined, b: NaN }')).toEqual({ b: null });
  });

  it('names nested paths, array indexes and odd keys', async () => {
    const deep = await resultError('return { list: [1, { inner: Symbol("s") }] };');
    expect(deep.message).toMatch(/Symbol at \$\.list\[1\]\.inner\b/);
    const odd = await resultError('return { "my key": () => 1 };');
    expect(odd.message).toContain('$["my key"]');
    const top = await resultError('return () => 1;');
    expect(top.message).toMatch(/function at \$$/);
  });

  it('refuses a function inside an array instead of turning it into null', async () => {
    expect((await resultError('return [1, () => 2];')).message).toMatch(/function at \$\[1\]/);
  });

  it('refuses containers JSON would silently empty', async () => {
    expect((await resultError('return { m: new Map([[1, 2]]) };')).message).toMatch(/Map at \$\.m/);
    expect((await resultError('return { s: new Set([1]) };')).message).toMatch(/Set at \$\.s/);
    const pending = await resultError('return { p: Promise.resolve(1) };');
    expect(pending.message).toMatch(/Promise at \$\.p \(await it/);
  });

  it('follows JSON for the rest: toJSON, wrappers, Infinity, holes, invalid dates', async () => {
    const value = await resultOf(`{
      custom: { toJSON: () => ({ ok: true }) },
      boxed: [new Number(1), new String('s'), new Boolean(false)],
      inf: [Infinity, -Infinity, -0],
      holes: [, 1, undefined],
      invalid: new Date('nope'),
      [Symbol('hidden')]: 1,
      typed: new Uint8Array([5]),
    }`);
    expect(value).toEqual({
      custom: { ok: true },
      boxed: [1, 's', false],
      inf: [null, null, 0],
      holes: [null, 1, null],
      invalid: null,
      typed: { 0: 5 },
    });
  });

  it('allows the same object twice when it is not a cycle', async () => {
    expect(await resultOf('(() => { const x = { v: 1 }; return [x, x]; })()')).toEqual([
      { v: 1 },
      { v: 1 },
    ]);
  });

  it('names the path when reading a value throws', async () => {
    const error = await resultError('return { a: { get b() { throw new Error("no"); } } };');
    expect(error.message).toMatch(/reading \$\.a\.b threw Error: no/);
  });

  it('refuses absurd nesting without a stack overflow', async () => {
    const error = await resultError('let v = 1; for (let i = 0; i < 5000; i++) v = [v]; return v;');
    expect(error.message).toMatch(/nested more than 1000 levels/);
  });

  it('ignores patched globals: encoding uses the intrinsics captured at start', async () => {
    const code = `async function execute() {
      JSON.stringify = () => 'tampered'; Object.keys = () => []; Array.isArray = () => false;
      return { a: [1, 2], b: 'x' };
    }`;
    expect(expectSuccess(await run(code))).toEqual({ a: [1, 2], b: 'x' });
  });
});

describe('[sandbox] result size', () => {
  it('exports the 6 MB limit', () => {
    expect(MAX_RESULT_BYTES).toBe(6 * 1024 * 1024);
  });

  it('accepts a result just under the limit', async () => {
    const chars = MAX_RESULT_BYTES - 2;
    const result = await resultOf(`'x'.repeat(${chars})`);
    expect(typeof result === 'string' && result.length).toBe(chars);
  });

  it('refuses a result over 6 MB with its size and the limit', async () => {
    const failure = expectFailure(await run(action(`return 'x'.repeat(${MAX_RESULT_BYTES});`)));
    expect(failure.limit).toBe('result-size');
    expect(failure.error.name).toBe('ResultTooLargeError');
    expect(failure.error.message).toContain(`${MAX_RESULT_BYTES + 2} bytes`);
    expect(failure.error.message).toContain(`${MAX_RESULT_BYTES} bytes (6 MB)`);
  });

  it('counts UTF-8 bytes, not characters', async () => {
    // 2.5 M euro signs: 2.5 M characters but 7.5 MB of UTF-8.
    const failure = expectFailure(await run(action("return '€'.repeat(2.5e6);")));
    expect(failure.limit).toBe('result-size');
    expect(failure.error.message).toContain(`${2.5e6 * 3 + 2} bytes`);
  });

  it('refuses a huge array up front, without building its JSON', async () => {
    const failure = expectFailure(await run('async function execute() { return new Array(1e8); }'));
    expect(failure.limit).toBe('result-size');
    expect(failure.error.message).toMatch(/at least \d+ bytes/);
  });
});

describe('[sandbox] console', () => {
  it('captures the four levels with their time and readable values', async () => {
    const code = `async function execute() {
      console.log('plain', 1, { a: [1, 'x'] }, null, undefined);
      console.info(new Map([['k', 1]]));
      console.warn(10n, Symbol('s'), () => 1);
      console.error(new RangeError('bad'));
    }`;
    const outcome = await run(code);
    expect(outcome.console.map((line) => line.level)).toEqual(['log', 'info', 'warn', 'error']);
    const [log, info, warn, error] = outcome.console.map((line) => line.message);
    expect(log).toBe('plain 1 {"a":[1,"x"]} null undefined');
    expect(info).toBe('Map(1) {"k" => 1}');
    expect(warn).toBe('10n Symbol(s) [Function: ]');
    expect(error).toMatch(/^RangeError: bad\n\s+at execute \(action\.js:5:/);
    for (const line of outcome.console) expect(line.at).toBeGreaterThanOrEqual(0);
  });

  it('keeps the console of a failed run', async () => {
    const outcome = await run(action('console.log("before"); throw new Error("x");'));
    expect(outcome.console.map((line) => line.message)).toEqual(['before']);
  });

  it('caps the number of lines and says so', async () => {
    const outcome = await run(action('for (let i = 0; i < 5000; i++) console.log(i); return 1;'));
    expect(expectSuccess(outcome)).toBe(1);
    expect(outcome.console).toHaveLength(MAX_CONSOLE_LINES + 1);
    const last = outcome.console.at(-1);
    expect(last?.level).toBe('warn');
    expect(last?.message).toMatch(/Console output truncated/);
  });

  it('caps the bytes and cuts very long lines', async () => {
    const code = action("for (let i = 0; i < 100; i++) console.log('y'.repeat(2e4));");
    const outcome = await run(code);
    const bytes = outcome.console.reduce((sum, line) => sum + Buffer.byteLength(line.message), 0);
    expect(bytes).toBeLessThan(MAX_CONSOLE_BYTES + 1000);
    expect(outcome.console[0]?.message).toMatch(/\[line cut\]$/);
    expect(outcome.console.at(-1)?.message).toMatch(/Console output truncated/);
  });

  it('does not let a cyclic or huge logged value stall the run', async () => {
    const code = `async function execute() {
      const o = { name: 'o' }; o.self = o;
      console.log(o, new Array(1e6).fill(7));
      return 'ok';
    }`;
    const outcome = await run(code);
    expect(expectSuccess(outcome)).toBe('ok');
    expect(outcome.console[0]?.message).toMatch(/^\{"name":"o","self":\[Circular\]\} \[7,7,7/);
  });
});

describe('[sandbox] stray rejections', () => {
  it('succeeds and writes the rejection as a warning', async () => {
    const code = action('Promise.reject(new Error("stray")); await null; return 1;');
    const outcome = await run(code);
    expect(expectSuccess(outcome)).toBe(1);
    expect(outcome.console).toEqual([
      {
        level: 'warn',
        message: 'Unhandled promise rejection: Error: stray',
        at: expect.any(Number),
      },
    ]);
  });

  it('catches a rejection in the same tick as the return', async () => {
    const outcome = await run(action('Promise.reject(new Error("late")); return 2;'));
    expect(expectSuccess(outcome)).toBe(2);
    expect(outcome.console[0]?.message).toBe('Unhandled promise rejection: Error: late');
  });

  it('tells a top-level stray rejection from a top-level throw', async () => {
    const code = 'Promise.reject(new Error("top"));\nasync function execute() { return 3; }';
    const outcome = await run(code);
    expect(expectSuccess(outcome)).toBe(3);
    expect(outcome.console[0]?.message).toBe('Unhandled promise rejection: Error: top');
  });

  it('reports rejections after awaited host calls and in timers', async () => {
    const code = `async function execute() {
      await Test.echo(1);
      Promise.reject('after call');
      setTimeout(() => { throw new Error('in timer'); }, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 'done';
    }`;
    const outcome = await run(code);
    expect(expectSuccess(outcome)).toBe('done');
    expect(outcome.console.map((line) => line.message)).toEqual([
      'Unhandled promise rejection: "after call"',
      'Uncaught error in a setTimeout callback: Error: in timer',
    ]);
  });

  it('never leaks into the next run', async () => {
    await run('async function execute() { Promise.reject(new Error("first")); return 1; }');
    const outcome = await run('async function execute() { return 2; }');
    expect(outcome).toMatchObject({ ok: true, result: 2, console: [] });
  });
});

describe('[sandbox] host calls', () => {
  it('carries JSON copies both ways', async () => {
    const { bridge, calls } = recordingBridge();
    const code = 'async function execute() { return Test.echo(1, "two", { three: [3] }); }';
    const outcome = await executeInIsolate(sandboxRequest(code), bridge);
    expect(expectSuccess(outcome)).toEqual([1, 'two', { three: [3] }]);
    const args = [1, 'two', { three: [3] }];
    expect(calls).toEqual([{ namespace: 'Test', method: 'echo', args }]);
  });

  it('turns a host error into an in-isolate Error pointing at the caller', async () => {
    const code = `async function execute() {
      try {
        await Test.fail(1);
      } catch (e) {
        return [e instanceof Error, e.name, e.message, e.stack];
      }
    }`;
    const [isError, name, message, stack] = expectSuccess(await run(code)) as unknown[];
    expect([isError, name, message]).toEqual([true, 'TypeError', 'Invalid arguments: [1]']);
    expect(stack).toContain('action.js:3:');
  });

  it('refuses runaway parallel calls with a catchable error', async () => {
    const code = `async function execute() {
      const calls = [];
      for (let i = 0; i < ${MAX_PENDING_HOST_CALLS + 1}; i++) calls.push(Test.echo(i));
      const settled = await Promise.allSettled(calls);
      return settled.filter((s) => s.status === 'rejected').map((s) => s.reason.message);
    }`;
    const messages = expectSuccess(await run(code)) as string[];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/Too many platform calls in flight/);
  });

  it('refuses arguments that are not JSON', async () => {
    const error = await resultError('await Test.echo(10n);');
    expect(error.name).toBe('TypeError');
  });

  it('aborts the signal of host work when the run ends', async () => {
    const recording = recordingBridge();
    const code = 'async function execute() { Test.slow(); await null; return 1; }';
    expectSuccess(await executeInIsolate(sandboxRequest(code), recording.bridge));
    await delay(10);
    expect(recording.signals[0]?.aborted).toBe(true);
    expect(recording.aborted()).toBe(1);
  });
});

describe('[sandbox] timers', () => {
  it('runs setTimeout callbacks and honours clearTimeout', async () => {
    const code = `async function execute() {
      const seen = [];
      const cancelled = setTimeout(() => seen.push('cancelled'), 5);
      clearTimeout(cancelled);
      await new Promise((resolve) => setTimeout(() => { seen.push('fired'); resolve(); }, 10));
      queueMicrotask(() => seen.push('micro'));
      await null;
      return seen;
    }`;
    expect(expectSuccess(await run(code))).toEqual(['fired', 'micro']);
  });

  it('never lets a timer outlive its run', async () => {
    const recording = recordingBridge();
    const code = 'async function execute() { setTimeout(() => Test.echo("late"), 50); return 1; }';
    expectSuccess(await executeInIsolate(sandboxRequest(code), recording.bridge));
    await delay(150);
    expect(recording.calls).toEqual([]);
  });
});

describe('[sandbox] time limit (cases C19, C20)', () => {
  const inputs = {
    'C19 awaits forever': 'async function execute(context) { await new Promise(() => {}); }',
    'C19 loops over awaited host calls':
      'async function execute(context) { for (;;) { await Test.echo(1); } }',
    'C20 loops after an await': 'async function execute() { await null; while (true) {} }',
    'C20 loops inside a promise executor':
      'async function execute() { return new Promise(async () => { while (true) {} }); }',
    'C20 floods the microtask queue':
      'async function execute() {' +
      ' const spin = async () => { for (;;) await null; }; return spin(); }',
    'loops at the top level': 'while (true) {}',
    'loops in a timer callback':
      action('setTimeout(() => { for (;;) {} }, 1); await new Promise(() => {});'),
  };

  for (const [name, code] of Object.entries(inputs)) {
    it(`times out at T while the host stays responsive: ${name}`, async () => {
      const recording = recordingBridge();
      const loop = watchEventLoop();
      const started = performance.now();
      const outcome = await executeInIsolate(sandboxRequest(code), recording.bridge);
      const wall = performance.now() - started;
      expect(loop.stop()).toBeLessThan(200);
      expectTimeout(outcome, 1000, wall);
      // No host work started by the run continues after it.
      const callsAtEnd = recording.calls.length;
      await delay(100);
      expect(recording.calls.length).toBe(callsAtEnd);
      expect(recording.signals.every((signal) => signal.aborted)).toBe(true);
      expect(expectSuccess(await run('async function execute() { return "healthy"; }'))).toBe(
        'healthy',
      );
    });
  }

  it('aborts a host call still running at the timeout', async () => {
    const recording = recordingBridge();
    const code = 'async function execute() { await Test.slow(); }';
    const request = sandboxRequest(code, { timeoutMs: 300 });
    const outcome = await executeInIsolate(request, recording.bridge);
    expect(expectFailure(outcome).limit).toBe('timeout');
    await delay(10);
    expect(recording.aborted()).toBe(1);
  });

  it('keeps the console written before the timeout', async () => {
    const outcome = await run('async function execute() { console.log("started"); for (;;) {} }');
    expect(outcome.console.map((line) => line.message)).toEqual(['started']);
  });
});

describe('[sandbox] memory limit (case C21)', () => {
  const limits = { memoryMb: 128, timeoutMs: 10_000 };

  /** Runs with the case's limits; the host loop must keep ticking and the run end within T. */
  async function runBomb(body: string) {
    const loop = watchEventLoop();
    const outcome = await run(action(body), limits);
    expect(loop.stop()).toBeLessThan(200);
    expect(outcome.durationMs).toBeLessThan(limits.timeoutMs);
    return expectFailure(outcome);
  }

  it('stops a spread of a huge string with a per-run error', async () => {
    const failure = await runBomb("return [...'.'.repeat(5e8)].length;");
    if (failure.limit === 'memory') {
      expect(failure.error).toMatchObject({
        name: 'MemoryLimitError',
        message: 'Action exceeded its memory limit of 128 MB',
      });
    } else {
      expect(failure.error.name).toBe('RangeError');
    }
  });

  it('stops an ever-growing array at the memory limit', async () => {
    const failure = await runBomb('const a = []; for (;;) a.push(new Array(1e5).fill(1));');
    expect(failure.limit).toBe('memory');
    expect(failure.error.name).toBe('MemoryLimitError');
  });

  it('reports the engine RangeError for an impossible string', async () => {
    const failure = await runBomb("return new Array(1e9) + '';");
    expect(failure.error).toMatchObject({ name: 'RangeError', message: 'Invalid string length' });
  });

  it('refuses a 200 MB string result as too large without copying it', async () => {
    const failure = await runBomb("return 'x'.repeat(200 * 1024 * 1024);");
    expect(failure.limit).toBe('result-size');
    expect(failure.error.message).toMatch(/at least 209715200 bytes/);
  });

  it('stops large ArrayBuffers at the cap', async () => {
    const failure = await runBomb('const a = []; for (;;) a.push(new ArrayBuffer(8 << 20));');
    expect(['MemoryLimitError', 'RangeError']).toContain(failure.error.name);
  });

  it('resizable ArrayBuffers, whose memory V8 keeps outside the cap, are fixed-length', async () => {
    const before = process.memoryUsage().rss;
    // Four buffers of 256 MB asked as resizable: each must stay within the 128 MB cap.
    const failure = await runBomb(`const keep = [];
      for (let i = 0; i < 4; i++) {
        const b = new ArrayBuffer(256 << 20, { maxByteLength: 256 << 20 });
        new Uint8Array(b).fill(1);
        keep.push(b);
      }`);
    expect(['MemoryLimitError', 'RangeError']).toContain(failure.error.name);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 << 20);
  });

  it('leaves the process able to run the next action', async () => {
    expect(expectSuccess(await run('async function execute() { return 1; }'))).toBe(1);
  });
});
