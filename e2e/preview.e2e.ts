import type { Page } from 'playwright-core';

import { findAction, trpcMutation, trpcQuery } from './api';
import { assert, eventually, expectText, test } from './harness';

const DEMO_APP = 1;
/** The seeded client action that runs when the preview's Bookings screen is shown. */
const BOOKINGS_ACTION = 'bookings-screen-tip';

interface LogEntry {
  id: number;
  type: string;
  data: Record<string, unknown>;
}

async function logsOf(baseUrl: string, actionId: number): Promise<LogEntry[]> {
  const input = { appId: DEMO_APP, actionId, limit: 20 };
  return (await trpcQuery<{ logs: LogEntry[] }>(baseUrl, 'runs.logs', input)).logs;
}

/** The action's newest log entry that was not there before (and matches), once it exists. */
async function newLogOf(
  baseUrl: string,
  actionId: number,
  before: Set<number>,
  matches: (entry: LogEntry) => boolean = () => true,
) {
  let found: LogEntry | undefined;
  await eventually('the client run in the run log', async () => {
    const logs = await logsOf(baseUrl, actionId);
    found = logs.find((entry) => !before.has(entry.id) && matches(entry));
    return found !== undefined;
  });
  if (!found) throw new Error('no new log entry');
  return found;
}

async function logIds(baseUrl: string, actionId: number): Promise<Set<number>> {
  return new Set((await logsOf(baseUrl, actionId)).map((entry) => entry.id));
}

async function openPreview(page: Page, baseUrl: string, query = '') {
  await page.goto(`${baseUrl}/apps/${DEMO_APP}/preview${query}`);
  await expectText(page.getByText(/Runtime ready|could not be loaded/), /Runtime ready/, 30_000);
}

function screenTab(page: Page, title: string) {
  return page.getByRole('navigation', { name: 'Demo app screens' }).getByRole('button', {
    name: title,
    exact: true,
  });
}

function runsOf(page: Page, name: string) {
  return page.getByRole('list', { name: 'Client runs' }).getByRole('listitem', {
    name: `Run of ${name}`,
  });
}

/** How long the page's main thread takes to paint a frame: small while it is responsive. */
async function frameDelayMs(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const start = performance.now();
        requestAnimationFrame(() => resolve(performance.now() - start));
      }),
  );
}

async function createClientAction(baseUrl: string, data: Record<string, unknown>) {
  return trpcMutation<{ id: number; name: string }>(baseUrl, 'actions.create', {
    appId: DEMO_APP,
    data: { active: true, environment: 'client', ...data },
  });
}

async function removeAction(baseUrl: string, id: number) {
  await trpcMutation(baseUrl, 'actions.remove', { appId: DEMO_APP, id });
}

test('[PREVIEW]: opening Bookings runs the client action in the browser and logs it', async (t) => {
  const { page, baseUrl } = t;
  const action = await findAction(baseUrl, DEMO_APP, BOOKINGS_ACTION);
  const before = await logIds(baseUrl, action.id);
  await openPreview(page, baseUrl);

  await screenTab(page, 'Bookings').click();
  const feed = page.getByRole('list', { name: 'Analytics events' });
  await expectText(
    feed.getByRole('listitem').first(),
    new RegExp(`analytics\\.pageView.*Bookings \\(#102\\).*Triggered: ${BOOKINGS_ACTION}`, 's'),
  );
  const run = runsOf(page, BOOKINGS_ACTION).first();
  await expectText(run, /completed.*Welcome to Bookings/s);
  // The action returns a Date: the browser run encodes it as the server does.
  await expectText(run.getByLabel('Result'), /"viewedAt": "\d{4}-\d\d-\d\dT[\d:.]+Z"/);
  await expectText(run, /Logged as #\d+/);

  const entry = await newLogOf(baseUrl, action.id, before);
  assert.equal(entry.type, 'app.task.completed');
  assert.equal(entry.data.runOn, 'client');
  assert.equal(entry.data.mode, 'on-demand');
  assert.equal(entry.data.taskId, action.id);
  const payload = entry.data.payload as { type: string; data: Record<string, unknown> };
  assert.equal(payload.type, 'analytics.pageView');
  assert.equal(payload.data._pageId, 102);
  assert.equal(payload.data._platform, 'web');
  const result = entry.data.result as { data: { tip: string }; success: boolean };
  assert.match(result.data.tip, /Welcome to Bookings/);

  // Another screen sends its own page view, which runs nothing.
  await screenTab(page, 'Profile').click();
  await expectText(feed.getByRole('listitem').first(), /Profile \(#103\).*No action triggered/s);
  await t.screenshot('preview');
});

test('[PREVIEW]: an endless loop stops at the client limit and is logged as a timeout', async (t) => {
  const { page, baseUrl } = t;
  const suffix = Date.now().toString(36);
  const spin = await createClientAction(baseUrl, {
    name: `e2e-spin-${suffix}`,
    // Case C20: the loop starts in a microtask, after the first await.
    code: 'async function execute(context) {\n  await null;\n  while (true) {}\n}',
    triggers: [
      { trigger: 'analytics', where: { type: 'analytics.event', data: { action: 'sign-out' } } },
    ],
  });
  try {
    await openPreview(page, baseUrl, '?clientTimeoutMs=3000');
    await expectText(page.getByText(/Runtime ready/), /stops after 3\.00 s/);
    await screenTab(page, 'Profile').click();
    const started = Date.now();
    // The demo app's own button, not the admin app's "Sign out" in the header.
    const demoApp = page.getByRole('region', { name: 'Demo app' });
    await demoApp.getByRole('button', { name: 'Sign out' }).click();
    const run = runsOf(page, spin.name).first();
    await expectText(run, /running/, 2_000);

    // While the worker spins, the page paints and reacts at once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok((await frameDelayMs(page)) < 200, 'the page paints while the action spins');
    const clicked = Date.now();
    await screenTab(page, 'Home').click();
    const feed = page.getByRole('list', { name: 'Analytics events' });
    await expectText(feed.getByRole('listitem').first(), /Home \(#101\)/, 1_000);
    assert.ok(Date.now() - clicked < 1_000, 'the page answered a click within a second');
    assert.match((await run.textContent()) ?? '', /running/, 'the run was still going');

    await expectText(run, /failed.*TimeoutError.*3000 ms/s, 6_000);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 2_900 && elapsed < 5_000, `stopped after ${elapsed} ms`);
    await expectText(run, /Logged as #\d+/);

    const [entry] = await logsOf(baseUrl, spin.id);
    assert.ok(entry, 'the timeout is in the run log');
    assert.equal(entry.type, 'app.task.failed');
    assert.equal(entry.data.runOn, 'client');
    const error = entry.data.error as { name: string; message: string };
    assert.equal(error.name, 'TimeoutError');
    assert.match(error.message, /timed out after 3000 ms/);
    const duration = Number(entry.data.duration);
    assert.ok(duration >= 3_000 && duration < 4_000, `logged duration ${duration} ms`);

    // The page goes on working: the Bookings action still runs and completes.
    await screenTab(page, 'Bookings').click();
    await expectText(runsOf(page, BOOKINGS_ACTION).first(), /completed/);
  } finally {
    await removeAction(baseUrl, spin.id);
  }
});

/** Calls `Fliplet.App.V3.Actions.runWithResult` in the page; resolves with what happened. */
async function runInPage(page: Page, name: string, payload: Record<string, unknown>) {
  const script = `Fliplet.App.V3.Actions.runWithResult(${JSON.stringify(name)}, ${JSON.stringify(
    payload,
  )}).then((value) => ({ ok: true, value }), (error) => ({ ok: false, status: error.status,
    message: error.message }))`;
  const outcome: unknown = await page.evaluate(script);
  return outcome as { ok: boolean; value?: unknown; status?: string; message?: string };
}

test('[PREVIEW]: runWithResult runs client actions here with the server\'s result contract', async (t) => {
  const { page, baseUrl } = t;
  const suffix = Date.now().toString(36);
  const contract = await createClientAction(baseUrl, {
    name: `e2e-contract-${suffix}`,
    code: `async function execute(context) {
  const circular = {};
  circular.self = circular;
  const values = {
    date: new Date('2026-12-04T00:00:00Z'),
    members: { a: undefined, b: NaN },
    fn: { fn: () => 1 },
    big: { n: 10n },
    circular,
    huge: 'x'.repeat(7 * 1024 * 1024),
  };
  if (context.payload.stray) {
    Promise.reject(new Error('stray'));
    return 'still fine';
  }
  return values[context.payload.pick];
}`,
    triggers: [{ trigger: 'manual' }],
  });
  try {
    await openPreview(page, baseUrl);
    const expectValue = async (pick: string, value: unknown) =>
      assert.deepEqual(await runInPage(page, contract.name, { pick }), { ok: true, value });
    await expectValue('date', '2026-12-04T00:00:00.000Z');
    await expectValue('members', { b: null });
    await expectValue('nothing', null);

    const refusals: [string, string, RegExp][] = [
      ['fn', 'EXECUTION_FAILED', /a function at \$\.fn/],
      ['big', 'EXECUTION_FAILED', /a BigInt at \$\.n/],
      ['circular', 'EXECUTION_FAILED', /a circular reference at \$\.self/],
      ['huge', 'RESULT_TOO_LARGE', /more than the limit/],
    ];
    for (const [pick, status, message] of refusals) {
      const outcome = await runInPage(page, contract.name, { pick });
      assert.equal(outcome.ok, false, `${pick} is refused`);
      assert.equal(outcome.status, status);
      assert.match(outcome.message ?? '', message);
    }

    const before = await logIds(baseUrl, contract.id);
    assert.deepEqual(await runInPage(page, contract.name, { stray: true }), {
      ok: true,
      value: 'still fine',
    });
    // Reports go out one by one: earlier runs of this test may be logged after `before`.
    const stray = (entry: LogEntry) => JSON.stringify(entry.data.payload) === '{"stray":true}';
    const entry = await newLogOf(baseUrl, contract.id, before, stray);
    const detail = await trpcQuery<{ console: { level: string; message: string }[] }>(
      baseUrl, 'runs.get', { appId: DEMO_APP, logId: entry.id });
    assert.deepEqual(detail.console.map((line) => [line.level, line.message]), [
      ['warn', 'Unhandled promise rejection: Error: stray'],
    ]);
    assert.equal(entry.data.runOn, 'client');

    // Server actions still run on the server, through the API.
    const server = await runInPage(page, 'hello-world', { name: 'Preview' });
    assert.equal(server.ok, true);
    assert.match(JSON.stringify(server.value), /Hello, Preview!/);
  } finally {
    await removeAction(baseUrl, contract.id);
  }
});
