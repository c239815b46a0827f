/**
 * The Outbox procedures against a real database: what each kind lists, the run and action a
 * message came from, paging, bodies returned as data, and who may read them.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createCaller } from '../../server/api/root';
import { createAction } from '../../server/actions/service';
import type { Role } from '../../server/auth/permissions';
import { actionLogs, apps, organizations } from '../../server/db/schema';
import type { PackageActor } from '../../server/platform/communicate/host-method';
import { previewOf } from '../../server/platform/communicate/outbox';
import {
  sendEmail,
  sendPushNotification,
  sendSms,
} from '../../server/platform/communicate/service';
import type { EmailTransport } from '../../server/platform/communicate/transports';
import { createNotification } from '../../server/platform/notifications/service';
import { contextFor, createTestUser } from '../accounts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../harness';
import { statusOf } from '../trpc-status';

const HOSTILE_HTML =
  '<p>Hello <b>Nick</b> &amp; team</p><script>window.__pwned = 1</script>' +
  '<img src="x" onerror="window.__pwned = 2">';

let test: SeededTestDatabase;
let appId: number;
let otherAppId: number;
let organizationId: number;
let action: { id: number; name: string };
let runId: string;
let logId: number;

beforeAll(async () => {
  test = await createSeededTestDatabase();
  ({ organizationId, appId, otherAppId } = await createFixtureOrganization(test.db));
  const created = await createAction(test.db, appId, {
    name: 'send-welcome',
    code: 'async function execute(context) {\n  return context.payload;\n}\n',
    active: true,
    triggers: [{ trigger: 'manual' }],
  });
  action = { id: created.id, name: created.name };
  runId = randomUUID();
  const [log] = await test.db
    .insert(actionLogs)
    .values({
      appId,
      masterId: action.id,
      runId,
      type: 'app.task.completed',
      data: { payload: {} },
      version: 'master',
      codeHash: '',
    })
    .returning();
  if (!log) throw new Error('run log not stored');
  logId = log.id;
});

/** A new organisation with two apps: the one messages are sent from, and another. */
async function createFixtureOrganization(db: SeededTestDatabase['db']) {
  const [organization] = await db.insert(organizations).values({ name: 'Org' }).returning();
  if (!organization) throw new Error('organisation not stored');
  const app = async (name: string) => {
    const [row] = await db
      .insert(apps)
      .values({ organizationId: organization.id, name })
      .returning();
    if (!row) throw new Error('app not stored');
    return row.id;
  };
  return {
    organizationId: organization.id,
    appId: await app('Outbox app'),
    otherAppId: await app('Other app'),
  };
}

afterAll(async () => {
  await test?.drop();
});

afterEach(() => {
  delete process.env.SMTP_URL;
});

interface Place {
  appId: number;
  organizationId: number;
}

/** Who sends: an app (this file's by default) and, for a send from a run, the run's id. */
function actor(options: { app?: Place; run?: string } = {}): PackageActor {
  const place = options.app ?? { appId, organizationId };
  const run = options.run;
  return {
    ...place,
    origin: run === undefined ? undefined : { runId: run, chainDepth: 0 },
  };
}

async function callerAs(role: Role | null, onApp = appId) {
  const user = await createTestUser(test.db, role ? { apps: [[onApp, role]] } : {});
  return createCaller(contextFor(test.db, user));
}

function email(subject: string, html: string | null, text: string | null = null) {
  return {
    to: [
      { email: 'nick@company.test', name: 'Nick', type: 'to' as const },
      { email: 'boss@company.test', type: 'cc' as const },
      { email: 'audit@company.test', type: 'bcc' as const },
    ],
    subject,
    from_name: 'Booking System',
    headers: { 'Reply-To': 'desk@company.test' },
    ...(html === null ? {} : { html }),
    ...(text === null ? {} : { text }),
  };
}

describe('[OUTBOX]: emails', () => {
  it('lists an email with its recipients, preview, status and the run that sent it', async () => {
    const sent = await sendEmail(
      test.db,
      actor({ run: runId }),
      email('Welcome aboard', HOSTILE_HTML),
      null,
    );
    const admin = await callerAs('viewer');
    const page = await admin.outbox.list({ appId, kind: 'email' });
    expect(page.items[0]).toEqual({
      kind: 'email',
      id: sent.id,
      to: [
        { email: 'nick@company.test', name: 'Nick', type: 'to' },
        { email: 'boss@company.test', type: 'cc' },
        { email: 'audit@company.test', type: 'bcc' },
      ],
      subject: 'Welcome aboard',
      preview: 'Hello Nick & team',
      status: 'stored',
      transport: null,
      messageId: null,
      error: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      sentAt: null,
      sentBy: { runId, logId, actionId: action.id, actionName: 'send-welcome' },
    });
    // The list carries no bodies; only `get` does.
    expect(page.items[0]).not.toHaveProperty('html');
  });

  it('returns the HTML body as the exact string stored, not rendered or rewritten', async () => {
    const sent = await sendEmail(test.db, actor(), email('Raw', HOSTILE_HTML, 'Hi Nick'), null);
    const message = await (await callerAs('support')).outbox.get({
      appId,
      kind: 'email',
      id: sent.id,
    });
    expect(message).toMatchObject({
      kind: 'email',
      subject: 'Raw',
      html: HOSTILE_HTML,
      text: 'Hi Nick',
      fromName: 'Booking System',
      replyTo: 'desk@company.test',
      preview: 'Hi Nick',
      // Sent outside a run (no origin): nothing to link to.
      sentBy: null,
    });
  });

  it('records a run whose log is not written yet, without an action', async () => {
    const pending = randomUUID();
    const sent = await sendEmail(test.db, actor({ run: pending }), email('Soon', 'x'), null);
    const message = await (await callerAs('viewer')).outbox.get({
      appId,
      kind: 'email',
      id: sent.id,
    });
    expect(message.sentBy).toEqual({
      runId: pending,
      logId: null,
      actionId: null,
      actionName: null,
    });
  });

  it('shows what a transport did: sent with its message id, or failed with its error', async () => {
    const accepting: EmailTransport = {
      name: 'smtp',
      send: async () => ({ messageId: '<abc@mail.test>' }),
    };
    const refusing: EmailTransport = {
      name: 'smtp',
      send: async () => {
        throw new Error('550 mailbox unavailable');
      },
    };
    const delivered = await sendEmail(test.db, actor(), email('Delivered', 'ok'), accepting);
    await expect(
      sendEmail(test.db, actor(), email('Bounced', 'no'), refusing),
    ).rejects.toThrow(/could not be handed to the provider/);
    const page = await (await callerAs('viewer')).outbox.list({ appId, kind: 'email', limit: 2 });
    expect(page.items.map((item) => item.kind === 'email' && [item.subject, item.status])).toEqual([
      ['Bounced', 'failed'],
      ['Delivered', 'sent'],
    ]);
    expect(page.items[0]).toMatchObject({ transport: 'smtp', error: '550 mailbox unavailable' });
    expect(page.items[1]).toMatchObject({
      id: delivered.id,
      messageId: '<abc@mail.test>',
      sentAt: expect.stringMatching(/^\d{4}-/),
    });
  });

  it('pages newest first by id, and the last page has no cursor', async () => {
    const place = await createFixtureOrganization(test.db);
    const forApp = place.appId;
    const ids: number[] = [];
    for (const subject of ['one', 'two', 'three']) {
      ids.push((await sendEmail(test.db, actor({ app: place }), email(subject, 'x'), null)).id);
    }
    const caller = await callerAs('viewer', forApp);
    const first = await caller.outbox.list({ appId: forApp, kind: 'email', limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toBe(ids[1]);
    const second = await caller.outbox.list({
      appId: forApp,
      kind: 'email',
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.items.map((item) => item.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });
});

describe('[OUTBOX]: SMS, push and notifications', () => {
  it('lists each kind apart: push only where a notification carries one', async () => {
    const place = await createFixtureOrganization(test.db);
    const forApp = place.appId;
    const sender = actor({ app: place, run: runId });
    const sms = await sendSms(test.db, sender, { data: { to: '+353 86 123', body: 'Hi' } }, null);
    const push = await sendPushNotification(
      test.db,
      sender,
      forApp,
      { title: 'Update', body: 'Report ready', sandbox: true },
      null,
    );
    const plain = await createNotification(
      test.db,
      actor({ app: place }),
      { status: 'draft', data: { message: 'Just in-app', extra: 1 } },
      null,
    );
    const caller = await callerAs('viewer', forApp);
    const list = async (kind: 'sms' | 'push' | 'notification') =>
      (await caller.outbox.list({ appId: forApp, kind })).items;

    expect(await list('sms')).toEqual([
      expect.objectContaining({ kind: 'sms', id: sms.id, to: '+353 86 123', body: 'Hi' }),
    ]);
    // Its run log belongs to another app, so the run is known but not linked.
    expect((await list('sms'))[0]?.sentBy).toEqual({
      runId,
      logId: null,
      actionId: null,
      actionName: null,
    });
    expect(await list('push')).toEqual([
      expect.objectContaining({
        kind: 'push',
        id: push.id,
        title: 'Update',
        body: 'Report ready',
        sandbox: true,
        status: 'stored',
        notificationStatus: 'published',
      }),
    ]);
    expect((await list('notification')).map((item) => item.id)).toEqual([plain.id, push.id]);
    expect(await caller.outbox.get({ appId: forApp, kind: 'notification', id: plain.id })).toEqual(
      expect.objectContaining({
        status: 'draft',
        title: null,
        message: 'Just in-app',
        data: { message: 'Just in-app', extra: 1 },
        pushStatus: null,
        sentBy: null,
      }),
    );
    // A notification without a push is not a push message.
    await expect(
      caller.outbox.get({ appId: forApp, kind: 'push', id: plain.id }),
    ).rejects.toThrow(/No push notification #/);

    expect(await caller.outbox.overview({ appId: forApp })).toEqual({
      counts: { email: 0, sms: 1, push: 1, notification: 2 },
      transports: { email: null, sms: null, push: null },
      settingsValid: true,
    });
  });

  it('names the server’s email transport, or says its settings are bad', async () => {
    const caller = await callerAs('viewer');
    process.env.SMTP_URL = 'smtp://127.0.0.1:2525';
    expect((await caller.outbox.overview({ appId })).transports.email).toBe('smtp');
    process.env.SMTP_URL = 'http://not-smtp';
    expect(await caller.outbox.overview({ appId })).toMatchObject({ settingsValid: false });
  });
});

describe('[OUTBOX]: access', () => {
  it('answers APP_NOT_FOUND to a user with no role on the app, for every procedure', async () => {
    const stranger = await callerAs(null);
    const sent = await sendEmail(test.db, actor(), email('Private', 'x'), null);
    expect(await statusOf(stranger.outbox.overview({ appId }))).toBe('APP_NOT_FOUND');
    expect(await statusOf(stranger.outbox.list({ appId, kind: 'email' }))).toBe('APP_NOT_FOUND');
    expect(await statusOf(stranger.outbox.get({ appId, kind: 'email', id: sent.id }))).toBe(
      'APP_NOT_FOUND',
    );
  });

  it('answers NOT_FOUND for a message of another app, even to a member of both', async () => {
    const elsewhere = actor({ app: { appId: otherAppId, organizationId } });
    const sent = await sendEmail(test.db, elsewhere, email('Elsewhere', 'x'), null);
    const user = await createTestUser(test.db, {
      apps: [
        [appId, 'admin'],
        [otherAppId, 'admin'],
      ],
    });
    const caller = createCaller(contextFor(test.db, user));
    expect(await statusOf(caller.outbox.get({ appId, kind: 'email', id: sent.id }))).toBe(
      'NOT_FOUND',
    );
    const listed = await caller.outbox.list({ appId, kind: 'email', limit: 100 });
    expect(listed.items.map((item) => item.id)).not.toContain(sent.id);
  });

  it('refuses ids no message can have (past PostgreSQL integers) as bad input, not a 500', async () => {
    const caller = await callerAs('viewer');
    const tooBig = 2_147_483_648;
    expect(await statusOf(caller.outbox.get({ appId, kind: 'email', id: tooBig }))).toBe(
      'BAD_REQUEST',
    );
    expect(await statusOf(caller.outbox.list({ appId, kind: 'sms', cursor: tooBig }))).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('[OUTBOX]: previews', () => {
  it('drops markup, scripts, styles and comments, and shortens long text', () => {
    expect(previewOf(null, HOSTILE_HTML)).toBe('Hello Nick & team');
    expect(previewOf(null, '<style>p{}</style><!-- hidden --><p>Shown</p>')).toBe('Shown');
    expect(previewOf('Text wins', '<p>HTML</p>')).toBe('Text wins');
    expect(previewOf('a'.repeat(400), null)).toHaveLength(160);
  });
});
