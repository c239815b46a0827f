/**
 * The browser runtime's routes through the REST handler, on a fresh seeded database: the
 * client-action list, client run reports (shape, caps, auth, scoping) and the debug page.
 */
import { randomUUID } from 'node:crypto';

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createAction, publishAction } from '../../server/actions/service';
import { validateActionFields } from '../../server/actions/validate';
import { handleRest } from '../../server/api/rest/handler';
import { createApiToken } from '../../server/api/tokens';
import { db } from '../../server/db/client';
import { actionLogs, actions, apiTokens, apps } from '../../server/db/schema';
import { seedDemo } from '../../server/db/seed';
import { demoActions } from '../../server/db/seed-content';
import { REPLACED_TEXT_NOTE } from '../../server/runs/storable';
import { BOOKINGS_SCREEN } from '../../server/sdk/runtime/preview-screens';
import {
  deleteExpiredPreviewTokens,
  mintPreviewToken,
  PREVIEW_TOKEN_NAME,
} from '../../server/sdk/runtime/preview-token';
import { createTestDatabase, type TestDatabase } from '../harness';

let database: TestDatabase;
const TOKEN = 'client-runs-dev-token';
const actionsPath = '/v3/apps/1/actions';

interface Answer {
  status: number;
  body: unknown;
  text: string;
  type: string | null;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = TOKEN,
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['auth-token'] = token;
  const response = await handleRest(
    new Request(`http://localhost${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  const text = await response.text();
  const type = response.headers.get('content-type');
  const json = type?.includes('json') && text ? (JSON.parse(text) as unknown) : null;
  return { status: response.status, body: json, text, type };
}

function statusOf(answer: Answer): unknown {
  return (answer.body as { status?: string } | null)?.status;
}

async function masterNamed(name: string) {
  const [row] = await db()
    .select()
    .from(actions)
    .where(sql`${actions.appId} = 1 and ${actions.name} = ${name} and ${actions.masterId} is null`);
  if (!row) throw new Error(`no action ${name}`);
  return row;
}

async function productionOf(masterId: number) {
  const [row] = await db().select().from(actions).where(eq(actions.masterId, masterId));
  if (!row) throw new Error(`no production copy of ${masterId}`);
  return row;
}

const pageViewEvent = {
  createdAt: 1773305212383,
  type: 'analytics.pageView',
  data: {
    _pageTitle: 'Bookings',
    _platform: 'web',
    _os: 'Linux x86_64',
    _analyticsSessionId: 'f6de95cb-e69b-4dca-a114-cc3961d379b2',
    _pageId: BOOKINGS_SCREEN.id,
    _deviceTrackingId: '3304672d-5d25-4a01-a48a-03e4286f42db',
  },
};

function report(overrides: Record<string, unknown> = {}) {
  return {
    runId: randomUUID(),
    trigger: 'analytics',
    payload: pageViewEvent,
    durationMs: 12,
    outcome: { ok: true, result: { tip: 'hello', viewedAt: '2026-03-12T08:46:52.383Z' } },
    console: [{ level: 'log', message: 'Bookings viewed', at: 3 }],
    ...overrides,
  };
}

async function logRow(runId: string) {
  const [row] = await db().select().from(actionLogs).where(eq(actionLogs.runId, runId));
  return row;
}

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.DEV_API_TOKEN = TOKEN;
  process.env.ACTIONS_CLIENT_TIMEOUT_MS = '30000';
  process.env.ACTIONS_MAX_PAYLOAD_BYTES = '4096';
  process.env.ACTIONS_RATE_LIMIT_RUN = '5';
  await seedDemo(db());
});

afterAll(async () => {
  await db().$client.end();
  await database?.drop();
});

beforeEach(async () => {
  await db().execute(sql`delete from rate_limits`);
});

describe('[RUNTIME]: the seeded client action', () => {
  it('is valid, active, published and listens for the Bookings screen', async () => {
    const tip = demoActions(1).find((action) => action.name === 'bookings-screen-tip');
    expect(tip).toBeDefined();
    if (tip) expect(() => validateActionFields(tip, null)).not.toThrow();
    const master = await masterNamed('bookings-screen-tip');
    expect(master).toMatchObject({ active: true, environment: 'client' });
    expect(master.triggers).toEqual([
      { trigger: 'analytics', where: { type: 'analytics.pageView', data: { _pageId: 102 } } },
    ]);
    expect((await productionOf(master.id)).active).toBe(true);
  });
});

describe('[RUNTIME]: GET /v3/apps/:appId/client-actions', () => {
  it('lists the active client actions of the version asked for, with their code', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const production = await productionOf(master.id);
    const answer = await call('GET', '/v3/apps/1/client-actions?version=master');
    expect(answer.status).toBe(200);
    const body = answer.body as {
      version: string;
      clientTimeoutMs: number;
      maxPayloadBytes: number;
      actions: { id: number; masterId: number; name: string; code: string; preludes: string[] }[];
      preludes: Record<string, string>;
    };
    expect(body).toMatchObject({
      version: 'master',
      clientTimeoutMs: 30000,
      maxPayloadBytes: 4096,
    });
    expect(body.actions.map((a) => a.name)).toEqual(['bookings-screen-tip']);
    expect(body.actions[0]).toMatchObject({
      id: master.id,
      masterId: master.id,
      code: master.code,
    });
    expect(body.actions[0]?.preludes).toEqual(['fliplet.js']);
    expect(Object.keys(body.preludes)).toEqual(['fliplet.js']);

    const live = await call('GET', '/v3/apps/1/client-actions');
    const liveBody = live.body as { version: string; actions: { id: number; masterId: number }[] };
    expect(liveBody.version).toBe('production');
    expect(liveBody.actions).toEqual([
      expect.objectContaining({ id: production.id, masterId: master.id }),
    ]);
  });

  it('leaves out inactive and server actions, and any actions without analytics', async () => {
    const code = 'async function execute(context) { return 1; }';
    const make = (name: string, fields: Record<string, unknown>) =>
      createAction(db(), 1, { name, code, ...fields });
    await make('rt-inactive-client', { environment: 'client', triggers: [{ trigger: 'manual' }] });
    const manual = [{ trigger: 'manual' }];
    await make('rt-any-manual', { active: true, environment: 'any', triggers: manual });
    await make('rt-any-analytics', {
      active: true,
      environment: 'any',
      triggers: [{ trigger: 'analytics', where: { type: 'analytics.event' } }],
      dependencies: ['fliplet-csv', 'https://cdn.jsdelivr.net/npm/dayjs@1/dayjs.min.js'],
    });
    const answer = await call('GET', '/v3/apps/1/client-actions?version=master');
    const body = answer.body as {
      actions: { name: string; preludes: string[] }[];
      preludes: Record<string, string>;
    };
    expect(body.actions.map((a) => a.name)).toEqual(['bookings-screen-tip', 'rt-any-analytics']);
    expect(body.actions[1]?.preludes).toEqual([
      'fliplet.js',
      'packages/fliplet-csv.js',
      'libraries/dayjs.js',
    ]);
    expect(body.preludes['packages/fliplet-csv.js']).toMatch(/not available in actions that run/);
    expect(body.preludes['libraries/dayjs.js']?.length).toBeGreaterThan(1000);
  });

  it('refuses callers as every app route does', async () => {
    expect(statusOf(await call('GET', '/v3/apps/1/client-actions', undefined, null)))
      .toBe('UNAUTHORIZED');
    expect(statusOf(await call('GET', '/v3/apps/2/client-actions'))).toBe('APP_NOT_FOUND');
    expect(statusOf(await call('GET', '/v3/apps/1/client-actions?version=draft')))
      .toBe('BAD_REQUEST');
  });
});

describe('[RUNTIME]: POST /v3/apps/:appId/actions/:id/client-runs', () => {
  it('logs a browser run in the spec\'s shape with runOn "client"', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const sent = report();
    const answer = await call('POST', `${actionsPath}/${master.id}/client-runs`, sent);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ logged: true, runId: sent.runId, logId: expect.any(Number) });

    const logs = await call('GET', `${actionsPath}/logs?id=${master.id}&limit=1`);
    const [entry] = (logs.body as { logs: { type: string; data: Record<string, unknown> }[] }).logs;
    expect(entry?.type).toBe('app.task.completed');
    expect(entry?.data).toEqual({
      mode: 'on-demand',
      runOn: 'client',
      taskId: master.id,
      payload: pageViewEvent,
      duration: 12,
      actionVersion: 'v3',
      result: { data: { tip: 'hello', viewedAt: '2026-03-12T08:46:52.383Z' }, success: true },
    });
    const row = await logRow(sent.runId);
    expect(row).toMatchObject({ version: 'master', masterId: master.id, codeHash: '' });
    expect(row?.console).toEqual([{ level: 'log', message: 'Bookings viewed', at: 3 }]);
  });

  it('logs a production run against the production copy and links the code that ran', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const production = await productionOf(master.id);
    const catalogue = await call('GET', '/v3/apps/1/client-actions');
    const codeHash = (catalogue.body as { actions: { codeHash: string }[] }).actions[0]?.codeHash;
    const sent = report({ codeHash });
    const answer = await call('POST', `${actionsPath}/${production.id}/client-runs`, sent);
    expect(answer.status).toBe(201);
    const row = await logRow(sent.runId);
    expect(row).toMatchObject({ version: 'production', masterId: master.id, codeHash });
    expect(row?.data).toMatchObject({ taskId: production.id, runOn: 'client' });
    const unknownHash = report({ codeHash: 'a'.repeat(64) });
    await call('POST', `${actionsPath}/${production.id}/client-runs`, unknownHash);
    expect((await logRow(unknownHash.runId))?.codeHash).toBe('');
  });

  it('logs a timeout as TimeoutError in the server\'s words, never beyond the limit', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const sent = report({
      durationMs: 3004,
      outcome: {
        ok: false,
        limit: 'timeout',
        timeoutMs: 3000,
        error: { name: 'Whatever', message: 'the page said so', stack: 'x' },
      },
    });
    expect((await call('POST', `${actionsPath}/${master.id}/client-runs`, sent)).status).toBe(201);
    const row = await logRow(sent.runId);
    expect(row?.type).toBe('app.task.failed');
    const data = row?.data as { error: { name: string; message: string }; result: unknown };
    expect(data.error.name).toBe('TimeoutError');
    expect(data.error.message).toMatch(/^Action timed out after 3000 ms \(the time limit of a run/);
    expect(data.result).toEqual({ error: data.error, success: false, errorObject: {} });

    const longer = report({
      outcome: { ok: false, limit: 'timeout', timeoutMs: 999_999, error: { name: 'E', message: '',
        stack: '' } },
    });
    await call('POST', `${actionsPath}/${master.id}/client-runs`, longer);
    const capped = (await logRow(longer.runId))?.data as { error: { message: string } };
    expect(capped.error.message).toMatch(/after 30000 ms/);
  });

  it('keeps the action\'s own error as reported', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const error = { name: 'RangeError', message: 'no way', stack: 'RangeError: no way\n    at x' };
    const sent = report({ outcome: { ok: false, error } });
    await call('POST', `${actionsPath}/${master.id}/client-runs`, sent);
    expect((await logRow(sent.runId))?.data).toMatchObject({ error });
  });

  it('logs NUL characters and broken surrogates as U+FFFD, with a console note', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const path = `${actionsPath}/${master.id}/client-runs`;
    const note = { level: 'warn', message: REPLACED_TEXT_NOTE, at: 12 };
    const lines = [{ level: 'log', message: 'a\u0000b', at: 3 }];
    const completed = report({ console: lines, outcome: { ok: true, result: { 's\ud800': 'x\u0000' } } });
    expect((await call('POST', path, completed)).status).toBe(201);
    const completedRow = await logRow(completed.runId);
    expect(completedRow?.data.result).toEqual({ data: { 's\uFFFD': 'x\uFFFD' }, success: true });
    expect(completedRow?.console).toEqual([{ level: 'log', message: 'a\uFFFDb', at: 3 }, note]);

    const error = { name: 'Error', message: 'bad\u0000', stack: 'Error: bad\u0000\n    at \udc00' };
    const failed = report({ console: [], outcome: { ok: false, error } });
    expect((await call('POST', path, failed)).status).toBe(201);
    const failedRow = await logRow(failed.runId);
    expect(failedRow?.data.error).toEqual({
      name: 'Error',
      message: 'bad\uFFFD',
      stack: 'Error: bad\uFFFD\n    at \uFFFD',
    });
    expect(failedRow?.console).toEqual([note]);
  });

  it('logs a run once, however often it is reported', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const sent = report();
    await call('POST', `${actionsPath}/${master.id}/client-runs`, sent);
    const again = await call('POST', `${actionsPath}/${master.id}/client-runs`, sent);
    expect(again).toMatchObject({ status: 200, body: { logged: false, runId: sent.runId } });
    const rows = await db().select().from(actionLogs).where(eq(actionLogs.runId, sent.runId));
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['a body that is not JSON', '{"runId":', 'BAD_REQUEST'],
    ['a missing runId', report({ runId: undefined }), 'BAD_REQUEST'],
    ['a runId that is not a UUID', report({ runId: '42' }), 'BAD_REQUEST'],
    ['an unknown trigger', report({ trigger: 'schedule' }), 'BAD_REQUEST'],
    ['a negative duration', report({ durationMs: -1 }), 'BAD_REQUEST'],
    ['an outcome without ok', report({ outcome: { result: 1 } }), 'BAD_REQUEST'],
    ['a failure without its error', report({ outcome: { ok: false } }), 'BAD_REQUEST'],
    ['a console line of an unknown level',
      report({ console: [{ level: 'shout', message: 'x', at: 0 }] }), 'BAD_REQUEST'],
    ['too many console lines',
      report({ console: Array.from({ length: 1021 }, () => ({ level: 'log', message: '', at: 0 })),
      }),
      'BAD_REQUEST'],
    ['a payload that is an array', report({ payload: [1] }), 'BAD_REQUEST'],
    ['a payload over ACTIONS_MAX_PAYLOAD_BYTES', report({ payload: { big: 'x'.repeat(5000) } }),
      'PAYLOAD_TOO_LARGE'],
    ['a result nested deeper than 1000 levels',
      JSON.stringify(report({ outcome: { ok: true, result: 'deep' } }))
        .replace('"deep"', '['.repeat(5000) + ']'.repeat(5000)),
      'BAD_REQUEST'],
    ['a result over 6 MB',
      report({ outcome: { ok: true, result: 'x'.repeat(6 * 1024 * 1024 + 1) } }),
      'PAYLOAD_TOO_LARGE'],
  ])('refuses %s', async (_label, body, code) => {
    const master = await masterNamed('bookings-screen-tip');
    const answer = await call('POST', `${actionsPath}/${master.id}/client-runs`, body);
    expect(statusOf(answer)).toBe(code);
  });

  it('refuses a body larger than any run could need without reading it all', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const huge = JSON.stringify(report({ padding: 'x'.repeat(9 * 1024 * 1024) }));
    const answer = await call('POST', `${actionsPath}/${master.id}/client-runs`, huge);
    expect(statusOf(answer)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses runs of server actions and triggers the action does not have', async () => {
    const server = await masterNamed('hello-world');
    const client = await masterNamed('bookings-screen-tip');
    const onServer = await call('POST', `${actionsPath}/${server.id}/client-runs`,
      report({ trigger: 'manual', payload: {} }));
    expect(statusOf(onServer)).toBe('ACTION_NOT_RUNNABLE');
    const manual = await call('POST', `${actionsPath}/${client.id}/client-runs`,
      report({ trigger: 'manual', payload: {} }));
    expect(statusOf(manual)).toBe('ACTION_NOT_RUNNABLE');
  });

  it('finds only this app\'s actions: another app\'s action is not found', async () => {
    const [other] = await db().insert(apps).values({ organizationId: 1, name: 'Other app' })
      .returning();
    if (!other) throw new Error('no app');
    const foreign = await createAction(db(), other.id, {
      name: 'elsewhere',
      code: 'async function execute(context) { return 1; }',
      active: true,
      environment: 'client',
      triggers: [{ trigger: 'analytics', where: { type: 'analytics.pageView' } }],
    });
    const answer = await call('POST', `${actionsPath}/${foreign.id}/client-runs`, report());
    expect(statusOf(answer)).toBe('ACTION_NOT_FOUND');
    expect(statusOf(await call('POST', `${actionsPath}/999999/client-runs`, report())))
      .toBe('ACTION_NOT_FOUND');
    const { token } = await createApiToken(db(), { appId: other.id }, 'other');
    const crossed = await call('POST', `${actionsPath}/${foreign.id}/client-runs`, report(), token);
    expect(statusOf(crossed)).toBe('APP_NOT_FOUND');
  });

  it('needs a token and spends the app\'s run budget', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const path = `${actionsPath}/${master.id}/client-runs`;
    expect(statusOf(await call('POST', path, report(), null))).toBe('UNAUTHORIZED');
    expect(statusOf(await call('POST', path, report(), 'nope'))).toBe('UNAUTHORIZED');
    for (let i = 0; i < 5; i += 1) expect((await call('POST', path, report())).status).toBe(201);
    const over = await call('POST', path, report());
    expect(statusOf(over)).toBe('RATE_LIMITED');
    expect(statusOf(await call('POST', `${actionsPath}/hello-world/run`, {}))).toBe('RATE_LIMITED');
  });
});

describe('[RUNTIME]: GET /v3/apps/:appId/actions/:id/compile', () => {
  it('answers the compiled script, keeping the code\'s lines under actions/<name>.js', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const answer = await call('GET', `${actionsPath}/${master.id}/compile`);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/javascript/);
    const lines = answer.text.split('\n');
    expect(lines[0]).toMatch(/Actions\.debug\.define\(.*function \(\) \{ \/\/ Runs/);
    expect(lines.slice(1, 4)).toEqual(master.code.split('\n').slice(1, 4));
    expect(answer.text.trimEnd()).toMatch(/\n\/\/# sourceURL=actions\/bookings-screen-tip\.js$/);
  });

  it('answers the debug page with ?html, the token in the query, and safe headers', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const answer = await call('GET', `${actionsPath}/${master.id}/compile?html&token=${TOKEN}`,
      undefined, null);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/html/);
    expect(answer.text).toContain('<script src="/runtime/actions.js"');
    const typed = "Fliplet.App.V3.Actions.runWithResult('bookings-screen-tip', {})";
    expect(answer.text).toContain(typed);
    expect(answer.text).not.toContain(TOKEN);
    const response = await handleRest(new Request(
      `http://localhost${actionsPath}/${master.id}/compile?html&token=${TOKEN}`));
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps code that looks like HTML from leaving its script element', async () => {
    const created = await createAction(db(), 1, {
      name: 'rt-html-in-code',
      code: 'async function execute(context) { return "</script><script>alert(1)</script><!--"; }',
    });
    const answer = await call('GET', `${actionsPath}/${created.id}/compile?html`);
    const json = /<script type="application\/json" id="compiled-action">([^<]*)<\/script>/
      .exec(answer.text)?.[1];
    expect(json).toBeDefined();
    expect(JSON.parse(json ?? '""')).toContain('</script><script>alert(1)</script>');
    // The runtime's, the JSON's and the bootstrap's: the code adds none.
    expect(answer.text.match(/<\/script>/gi)?.length).toBe(3);
    expect(answer.text).not.toContain('<!--');
  });

  it('refuses a missing or wrong token, other apps and unknown actions', async () => {
    const master = await masterNamed('bookings-screen-tip');
    const path = `${actionsPath}/${master.id}/compile?html`;
    expect(statusOf(await call('GET', path, undefined, null))).toBe('UNAUTHORIZED');
    expect(statusOf(await call('GET', `${path}&token=nope`, undefined, null))).toBe('UNAUTHORIZED');
    const { token } = await createApiToken(db(), { appId: 2 }, 'app two');
    expect(statusOf(await call('GET', `${path}&token=${token}`, undefined, null)))
      .toBe('APP_NOT_FOUND');
    expect(statusOf(await call('GET', `${actionsPath}/999999/compile`))).toBe('ACTION_NOT_FOUND');
    // Only the debug page takes the token from the query.
    expect(statusOf(await call('GET', `${actionsPath}?token=${TOKEN}`, undefined, null)))
      .toBe('UNAUTHORIZED');
  });
});

describe('[RUNTIME]: preview tokens', () => {
  it('mints a token for one app and deletes expired ones', async () => {
    const { token, expiresAt } = await mintPreviewToken(db(), 1);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 59 * 60 * 1000);
    expect((await call('GET', '/v3/apps/1/client-actions', undefined, token)).status).toBe(200);
    expect(statusOf(await call('GET', '/v3/apps/2/client-actions', undefined, token)))
      .toBe('APP_NOT_FOUND');
    await deleteExpiredPreviewTokens(db(), new Date(Date.now() + 1000));
    expect(statusOf(await call('GET', '/v3/apps/1/client-actions', undefined, token)))
      .toBe('UNAUTHORIZED');
    const left = await db().select().from(apiTokens).where(eq(apiTokens.name, PREVIEW_TOKEN_NAME));
    expect(left).toHaveLength(0);
    await expect(mintPreviewToken(db(), 424242)).rejects.toThrow(/not found/);
  });
});

describe('[RUNTIME]: the production copy', () => {
  it('publishing a changed client action changes what live pages get', async () => {
    const created = await createAction(db(), 1, {
      name: 'rt-published',
      code: 'async function execute(context) { return 1; }',
      active: true,
      environment: 'client',
      triggers: [{ trigger: 'manual' }],
    });
    const before = await call('GET', '/v3/apps/1/client-actions');
    const names = (answer: Answer) =>
      (answer.body as { actions: { name: string }[] }).actions.map((a) => a.name);
    expect(names(before)).not.toContain('rt-published');
    await publishAction(db(), 1, created.id);
    expect(names(await call('GET', '/v3/apps/1/client-actions'))).toContain('rt-published');
  });
});
