import { describe, expect, it } from 'vitest';

import { executeInIsolate } from './executor';
import {
  action,
  expectFailure,
  expectSuccess,
  recordingBridge,
  sandboxRequest,
  watchEventLoop,
} from './test-support';
import type { SandboxRequest } from './types';

async function run(code: string, overrides: Partial<SandboxRequest> = {}) {
  return executeInIsolate(sandboxRequest(code, overrides), recordingBridge().bridge);
}

async function probe(body: string, payload: unknown = {}): Promise<unknown> {
  return expectSuccess(await run(`async function execute(context) { ${body} }`, { payload }));
}

/** What a `Function` reached by some path can see: must be the isolate's own global. */
const REACH = `(F) => [
  F('return typeof process')(),
  F('return typeof require')(),
  F('return this')() === globalThis,
]`;
const CONFINED = ['undefined', 'undefined', true];

/** Every global an action may see: ECMAScript's own plus the sandbox's few. */
const ALLOWED_GLOBALS = new Set([
  ...['Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt', 'Date'],
  ...['Promise', 'RegExp', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'Proxy', 'Reflect'],
  ...['FinalizationRegistry', 'JSON', 'Math', 'Intl', 'ArrayBuffer', 'DataView', 'globalThis'],
  ...['Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError'],
  ...['TypeError', 'URIError', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array'],
  ...['Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array'],
  ...['BigInt64Array', 'BigUint64Array', 'parseFloat', 'parseInt', 'isFinite', 'isNaN'],
  ...['decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape'],
  ...['unescape', 'eval', 'Infinity', 'NaN', 'undefined'],
  ...['console', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'Test', 'execute'],
]);

describe('[sandbox escape] constructor chains (case C23)', () => {
  it('a host error is an isolate Error whose chain reaches no host', async () => {
    const result = await probe(`
      try { await Test.fail({ bad: true }); } catch (e) {
        const F = e.constructor.constructor;
        return [F('return typeof process')(), F('return typeof require')(), e instanceof Error];
      }
      return 'no-throw';`);
    expect(result).toEqual(['undefined', 'undefined', true]);
  });

  it('a host-returned value is an isolate value', async () => {
    const result = await probe(`
      const value = await Test.echo({ nested: [1] });
      return [(${REACH})(value.constructor.constructor),
        (${REACH})(value[0].nested.constructor.constructor)];`);
    expect(result).toEqual([CONFINED, CONFINED]);
  });

  it('context, payload and the sandbox functions lead nowhere', async () => {
    const paths = [
      'context.constructor.constructor',
      'context.payload.list.constructor.constructor',
      'console.log.constructor',
      'setTimeout.constructor',
      'Test.echo.constructor',
    ];
    const result = await probe(`return [${paths.map((p) => `(${REACH})(${p})`).join(',')}];`, {
      list: [1],
    });
    expect(result).toEqual(paths.map(() => CONFINED));
  });

  it('async and generator function constructors see the sandbox global only', async () => {
    const result = await probe(`
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
      const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;
      return [await AsyncFunction('return typeof process')(),
        GeneratorFunction('yield typeof require')().next().value];`);
    expect(result).toEqual(['undefined', 'undefined']);
  });

  it('eval and Function see the sandbox global only', async () => {
    const result = await probe(`
      return [(0, eval)('typeof process'), Function('return this')() === globalThis,
        eval('typeof require'), new Function('return typeof module')()];`);
    expect(result).toEqual(['undefined', true, 'undefined', 'undefined']);
  });

  it('stack-trace hooks expose no host frames or functions', async () => {
    const result = await probe(`
      Error.prepareStackTrace = (error, frames) => frames.map((frame) => {
        const self = frame.getThis();
        const fn = frame.getFunction();
        return [String(frame.getFileName()), typeof self, typeof fn,
          self && self.constructor ? self.constructor.constructor('return typeof process')() : '-'];
      });
      const trace = new Error('probe').stack;
      let hostTrace;
      try { await Test.fail(); } catch (e) { hostTrace = e.stack; }
      return [trace, typeof hostTrace];`);
    const [frames, hostTrace] = result as [string[][], string];
    expect(hostTrace).toBe('string');
    for (const [file, , , reach] of frames) {
      expect(file).not.toMatch(/file:|node_modules|\.ts$/);
      expect(['-', 'undefined']).toContain(reach);
    }
  });

  it('caller chains stop at the sandbox runtime', async () => {
    // A sloppy-mode execute, so that `caller` is readable at all.
    const code = 'function execute() { return [execute.caller, arguments.callee.caller]; }';
    expect(expectSuccess(await run(code))).toEqual([null, null]);
  });
});

describe('[sandbox escape] the global scope', () => {
  it('holds only ECMAScript globals and the sandbox API', async () => {
    const names = (await probe('return Object.getOwnPropertyNames(globalThis);')) as string[];
    const unexpected = names.filter((name) => !ALLOWED_GLOBALS.has(name));
    expect(unexpected).toEqual([]);
  });

  it('has no process, require, module, Buffer, network or host timers', async () => {
    const names = ['process', 'require', 'module', 'exports', 'Buffer', 'global', 'fetch'];
    names.push('XMLHttpRequest', 'WebSocket', 'setInterval', 'setImmediate', '__hostCall');
    const result = await probe(`return [${names.map((name) => `typeof ${name}`).join(',')}];`);
    expect(result).toEqual(names.map(() => 'undefined'));
  });

  it('refuses dynamic import of host modules', async () => {
    const result = await probe(`
      const outcomes = [];
      for (const name of ['fs', 'node:child_process', 'file:///etc/passwd', './action.js']) {
        try { await import(name); outcomes.push('imported ' + name); }
        catch (e) { outcomes.push(e instanceof Error); }
      }
      return outcomes;`);
    expect(result).toEqual([true, true, true, true]);
  });

  it('globalThis tricks find nothing more', async () => {
    const result = await probe(`
      const viaFunction = Function('return this')();
      const viaProto = Object.getPrototypeOf(globalThis);
      const symbols = Object.getOwnPropertySymbols(globalThis).map(String);
      return [viaFunction === globalThis, Object.getOwnPropertyNames(viaProto).includes('process'),
        symbols, typeof globalThis.constructor.constructor('return process')];`);
    expect(result).toEqual([true, false, [], 'function']);
    const failure = expectFailure(
      await run("async function execute() { return Function('return process')(); }"),
    );
    const expected = { name: 'ReferenceError', message: 'process is not defined' };
    expect(failure.error).toMatchObject(expected);
  });
});

describe('[sandbox escape] prototype pollution through the payload', () => {
  const polluting = JSON.parse(
    '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},' +
      '"a":{"__proto__":{"polluted":3}}}',
  ) as Record<string, unknown>;

  const merge = `
    function merge(target, source) {
      for (const key of Object.keys(source)) {
        if (source[key] && typeof source[key] === 'object') {
          if (!target[key] || typeof target[key] !== 'object') target[key] = {};
          merge(target[key], source[key]);
        } else {
          target[key] = source[key];
        }
      }
      return target;
    }`;

  it('pollutes at most the run itself, never the host or the next run', async () => {
    const code = `${merge}
      async function execute(context) {
        merge({}, context.payload);
        Object.assign({}, context.payload);
        return [Object.keys(context.payload), ({}).polluted ?? null];
      }`;
    const outcome = await run(code, { payload: polluting });
    const [keys] = expectSuccess(outcome) as [string[], unknown];
    expect(keys).toEqual(['__proto__', 'constructor', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const next = await probe(
      'return [({}).polluted ?? "clean", Object.prototype.hasOwnProperty("polluted")];',
    );
    expect(next).toEqual(['clean', false]);
  });

  it('keeps __proto__ keys as plain data in the payload and the result', async () => {
    const outcome = await run('async function execute(context) { return context.payload; }', {
      payload: polluting,
    });
    const result = expectSuccess(outcome) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__', 'constructor', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a result that pollutes through its own keys changes nothing on the host', async () => {
    const code = `async function execute() {
      return JSON.parse(
        '{"__proto__": {"pwned": true}, "constructor": {"prototype": {"pwned": true}}}');
    }`;
    expectSuccess(await run(code));
    expect(({} as Record<string, unknown>).pwned).toBeUndefined();
  });
});

describe('[sandbox escape] Proxy and Symbol tricks', () => {
  it('a hostile Proxy result fails the run cleanly', async () => {
    const error = expectFailure(
      await run(`async function execute() {
        return new Proxy({}, { ownKeys() { throw new Error('trap'); } });
      }`),
    ).error;
    expect(error.name).toBe('UnserializableResultError');
    expect(error.message).toMatch(/trap/);
  });

  it('a Proxy thrown at the top level fails the run cleanly', async () => {
    const outcome = await run(
      'throw new Proxy({}, { get() { throw new Error("no"); },' +
        ' getPrototypeOf() { return Error.prototype; } });',
    );
    expect(expectFailure(outcome).error.name).toBeTypeOf('string');
  });

  it('a thrown Proxy whose getters throw still gives a readable error', async () => {
    const outcome = await run(`async function execute() {
      throw new Proxy(new Error('inner'), { get() { throw new Error('trap'); } });
    }`);
    expect(expectFailure(outcome).error.name).toBeTypeOf('string');
  });

  it('a callable Proxy or a revoked Proxy is refused', async () => {
    const callable = await run(action('return { f: new Proxy(() => 1, {}) };'));
    expect(expectFailure(callable).error.message).toMatch(/function at \$\.f/);
    const revoked = await run(`async function execute() {
      const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return { r: proxy };
    }`);
    expect(expectFailure(revoked).error.name).toBe('UnserializableResultError');
  });

  it('symbol keys are ignored and spoofed tags fool only the action itself', async () => {
    const result = await probe(`
      const spoof = { [Symbol.toStringTag]: 'Number', valueOf: () => 5 };
      return { [Symbol('x')]: 1, [Symbol.for('nodejs.util.inspect.custom')]: 2, a: 1, spoof };`);
    expect(result).toEqual({ a: 1, spoof: 5 });
  });

  it('toJSON and Symbol.toPrimitive run inside the isolate only', async () => {
    const result = await probe(`
      const sneaky = { toJSON() { return [typeof process, this === sneaky]; } };
      const prim = { [Symbol.toPrimitive]: () => typeof require };
      return { sneaky, prim: String(prim) };`);
    expect(result).toEqual({ sneaky: ['undefined', true], prim: 'undefined' });
  });
});

describe('[sandbox escape] shared memory, blocking and WebAssembly', () => {
  it('has no SharedArrayBuffer, Atomics or WebAssembly', async () => {
    const result = await probe(
      'return [typeof SharedArrayBuffer, typeof Atomics, typeof WebAssembly,' +
        ' typeof globalThis.WebAssembly];',
    );
    expect(result).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
  });

  it('an Atomics.wait attempt fails at once and the host keeps running', async () => {
    const loop = watchEventLoop();
    const outcome = await run(`async function execute() {
      const sab = new SharedArrayBuffer(16);
      return Atomics.wait(new Int32Array(sab), 0, 0, 1e9);
    }`);
    expect(loop.stop()).toBeLessThan(200);
    expect(expectFailure(outcome).error.name).toBe('ReferenceError');
    expect(outcome.durationMs).toBeLessThan(1000);
  });

  it('a WebAssembly memory bomb cannot start', async () => {
    const outcome = await run(`async function execute() {
      const memories = [];
      for (let i = 0; i < 64; i++) memories.push(new WebAssembly.Memory({ initial: 16000 }));
      return memories.length;
    }`);
    expect(expectFailure(outcome).error).toMatchObject({ name: 'ReferenceError' });
  });

  it('makes every ArrayBuffer fixed-length, whichever way the constructor is reached', async () => {
    const result = await probe(`
      const ctor = Object.getPrototypeOf(new Uint8Array(1).buffer).constructor;
      const made = [
        new ArrayBuffer(8, { maxByteLength: 1 << 30 }),
        new ctor(8, { maxByteLength: 1 << 30 }),
        new (new Uint8Array(1).buffer.constructor)(8, { maxByteLength: 1 << 30 }),
        new (class extends ArrayBuffer {})(8, { maxByteLength: 1 << 30 }),
        Reflect.construct(ArrayBuffer, [8, { maxByteLength: 1 << 30 }]),
        new ArrayBuffer(16).slice(0, 8),
      ];
      return {
        resizable: made.map((b) => b.resizable),
        sizes: made.map((b) => b.byteLength),
        isBuffer: made.every((b) => b instanceof ArrayBuffer),
        resize: typeof ArrayBuffer.prototype.resize,
        sameCtor: ctor === ArrayBuffer,
      };`);
    expect(result).toEqual({
      resizable: [false, false, false, false, false, false],
      sizes: [8, 8, 8, 8, 8, 8],
      isBuffer: true,
      resize: 'undefined',
      sameCtor: true,
    });
  });

  it('there is no way back to the deleted globals', async () => {
    const result = await probe(`
      const viaEval = (0, eval)('typeof WebAssembly');
      const viaFunction = Function('return typeof Atomics')();
      const viaArray = Object.getOwnPropertyNames(Object.getPrototypeOf(new Int32Array(1).buffer))
        .includes('grow');
      return [viaEval, viaFunction, viaArray];`);
    expect(result).toEqual(['undefined', 'undefined', false]);
  });
});

describe('[sandbox escape] resource abuse stays inside the run', () => {
  it('deep recursion is an ordinary RangeError', async () => {
    const code = 'function f() { return f() + 1; } async function execute() { return f(); }';
    const { error } = expectFailure(await run(code));
    expect([error.name, error.message]).toEqual(['RangeError', 'Maximum call stack size exceeded']);
  });

  it('catastrophic regex backtracking ends at the time limit', async () => {
    const loop = watchEventLoop();
    const outcome = await run(
      "async function execute() { return /(a+)+b/.test('a'.repeat(40)); }",
      { timeoutMs: 500 },
    );
    expect(loop.stop()).toBeLessThan(200);
    expect(expectFailure(outcome).limit).toBe('timeout');
  });

  it('timer floods are capped', async () => {
    const code = action('for (let i = 0; i < 1e5; i++) setTimeout(() => {}, 60000);');
    const { error } = expectFailure(await run(code));
    expect(error.name).toBe('RangeError');
    expect(error.message).toMatch(/Too many pending timers/);
  });

  it('huge host-call arguments are refused inside the isolate', async () => {
    const error = expectFailure(
      await run("async function execute() { await Test.echo('x'.repeat(2 * 1024 * 1024)); }"),
    ).error;
    expect(error.name).toBe('RangeError');
    expect(error.message).toMatch(/too large/);
  });

  it('tampering with the runtime cannot reach the host: patched Promise and Map', async () => {
    const code = `async function execute() {
      Promise.prototype.then = function () { return this; };
      Map.prototype.set = function () { return this; };
      Object.defineProperty(Object.prototype, 'resolve', { set() {}, configurable: true });
      return 'still here';
    }`;
    // The runtime awaits through the engine, not through the patched methods.
    expect(expectSuccess(await run(code))).toBe('still here');
    expect(({} as Record<string, unknown>).resolve).toBeUndefined();
  });
});
