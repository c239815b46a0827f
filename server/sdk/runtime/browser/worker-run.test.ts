/**
 * Browser runs against server runs: the same action code gives the same result or the same
 * error through the worker script (run here in a Node vm, see test-support.ts) as through the
 * server's isolate. One result contract, one implementation of it (isolate-runtime.js).
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { executeInIsolate } from '../../../runner/sandbox/executor';
import type { SandboxOutcome } from '../../../runner/sandbox/types';
import { BASE_PRELUDE, browserPreludesFor } from '../browser-preludes';
import { buildWorkerSource } from '../bundle';
import { vmWorkerFactory } from './test-support';
import { runInWorker, type WorkerFactory } from './worker-run';

let factory: WorkerFactory;

beforeAll(async () => {
  factory = vmWorkerFactory(await buildWorkerSource());
});

function inBrowser(code: string, payload: unknown = {}, dependencies: string[] = []) {
  const preludes = browserPreludesFor(dependencies);
  return runInWorker({ name: 'test', code, preludes, payload, timeoutMs: 5_000 }, factory);
}

function onServer(code: string, payload: unknown = {}) {
  const request = { code, payload, timeoutMs: 5_000, memoryMb: 64, preludes: [BASE_PRELUDE] };
  return executeInIsolate(request, async () => {
    throw new Error('no host calls in these tests');
  });
}

/** What both sides must agree on: the value, or the error's name and message. */
function gist(outcome: SandboxOutcome) {
  return outcome.ok
    ? { ok: true, result: outcome.result }
    : { ok: false, name: outcome.error.name, message: outcome.error.message, limit: outcome.limit };
}

const returns = (expression: string) => `async function execute() { return ${expression}; }`;

const cases: [string, string, unknown][] = [
  ['a function member (C24a)', returns('{ fn: () => 1 }'), false],
  ['a BigInt member (C24b)', returns('{ n: 10n }'), false],
  ['a circular object (C24c)', 'async function execute() { const o = {}; o.self = o; return o; }',
    false],
  ['a Date (C24d)', returns("new Date('2026-12-04T00:00:00Z')"), '2026-12-04T00:00:00.000Z'],
  ['undefined (C24e)', 'async function execute() {}', null],
  ['undefined and NaN members (C24f)', returns('{ a: undefined, b: NaN }'), { b: null }],
  ['Infinity in an array', returns('[1, Infinity, -0, undefined]'), [1, null, 0, null]],
  ['a Map', returns('{ m: new Map([[1, 2]]) }'), false],
  ['a Promise member', returns('{ p: Promise.resolve(1) }'), false],
  ['the payload, as given', 'const execute = async (context) => context.payload;',
    { entryId: 123, list: [1, 'two', null] }],
  ['an Error thrown', 'async function execute() { throw new RangeError("no way"); }', false],
  ['a string thrown', 'async function execute() { throw "plain"; }', false],
  ['no execute', 'async function run() { return 1; }', false],
  ['execute that is not a function', 'const execute = 42;', false],
  ['a top-level throw', 'throw new TypeError("at load");\nasync function execute() {}', false],
  ['a timer inside',
    "async function execute() {\n  await new Promise((r) => setTimeout(r, 20));\n" +
      "  return 'waited';\n}",
    'waited'],
  ['a result over 6 MB', returns("'x'.repeat(7 * 1024 * 1024)"), false],
];

describe('[RUNTIME] browser runs keep the server\'s result contract', () => {
  it.each(cases)('%s', async (_label, code, expected) => {
    const payload = { entryId: 123, list: [1, 'two', null] };
    const browser = await inBrowser(code, payload);
    const server = await onServer(code, payload);
    expect(gist(browser)).toEqual(gist(server));
    if (expected === false) expect(browser.ok).toBe(false);
    else expect(browser.ok && browser.result).toEqual(expected);
  });

  it('names the bad value\'s path as the server does', async () => {
    const outcome = await inBrowser(returns('{ list: [1, { fn() {} }] }'));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.name).toBe('UnserializableResultError');
      expect(outcome.error.message).toMatch(/a function at \$\.list\[1\]\.fn/);
    }
  });

  it('refuses a 6 MB result as ResultTooLargeError with the result-size limit', async () => {
    const outcome = await inBrowser(returns("'x'.repeat(7 * 1024 * 1024)"));
    expect(outcome.ok ? null : [outcome.error.name, outcome.limit])
      .toEqual(['ResultTooLargeError', 'result-size']);
  });
});

describe('[RUNTIME] the worker side of a run', () => {
  it('captures the action\'s console lines, in order, with their levels', async () => {
    const code = "async function execute() {\n  console.log('one', { a: 1 });\n" +
      "  console.warn('two');\n  console.error(new Error('three'));\n  return 1;\n}";
    const outcome = await inBrowser(code);
    expect(outcome.console.map(({ level, message }) => [level, message.split('\n')[0]])).toEqual([
      ['log', 'one {"a":1}'],
      ['warn', 'two'],
      ['error', 'Error: three'],
    ]);
  });

  it('shows the action\'s own file in stacks, not the runtime\'s', async () => {
    const code = 'async function execute() {\n  null.boom;\n}';
    const outcome = await inBrowser(code);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.name).toBe('TypeError');
      expect(outcome.error.stack).toMatch(/actions\/test\.js:2/);
      expect(outcome.error.stack).not.toMatch(/sandbox-internal/);
    }
  });

  it('gives platform packages that explain they are not in the browser yet', async () => {
    const code = "async function execute() {\n  try { await Fliplet.DataSources.connect(1); }\n" +
      '  catch (e) { return [typeof Fliplet.DataSources, e.message]; }\n}';
    const outcome = await inBrowser(code, {}, ['fliplet-datasources']);
    expect(outcome.ok && outcome.result).toEqual([
      'object',
      expect.stringMatching(/^fliplet-datasources is not available in actions that run in the/),
    ]);
  });

  it('loads approved libraries before the action', async () => {
    const url = 'https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.30.1/moment.min.js';
    const code = "async function execute() { return moment.utc(0).format('YYYY'); }";
    const outcome = await inBrowser(code, {}, [url]);
    expect(outcome.ok && outcome.result).toBe('1970');
  });

  it('refuses a payload that is not JSON before starting a worker', async () => {
    const payload: Record<string, unknown> = {};
    payload.self = payload;
    const outcome = await inBrowser('async function execute() { return 1; }', payload);
    expect(outcome.ok ? null : outcome.error.name).toBe('InvalidPayloadError');
  });
});
