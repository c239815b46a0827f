import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  callHost,
  createPlatformTestDatabase,
  resultOf,
  runAction,
  type PlatformTestDatabase,
} from '../../../test/platform-scope';
import { isAppError } from '../../errors';
import { actorOf } from '../communicate/host-method';
import type { PushTransport } from '../communicate/transports';
import type { PlatformScope } from '../types';
import { notificationsPackage } from './package';
import {
  createNotification,
  listNotifications,
  type InsertNotificationInput,
  type Notification,
} from './service';

let test: PlatformTestDatabase;
let scope: PlatformScope;
let other: PlatformScope;

beforeAll(async () => {
  test = await createPlatformTestDatabase();
  scope = await test.newScope();
  other = await test.newScope();
});

afterAll(async () => {
  await test?.drop();
});

const reminder = {
  status: 'published',
  data: {
    title: 'Booking Reminder',
    message: 'You have a booking today.',
    navigate: { action: 'screen', page: 54321 },
  },
  pushNotification: { payload: { title: 'Booking Reminder', body: 'You have a booking today.' } },
} satisfies InsertNotificationInput;

async function insert(options: unknown, as = scope): Promise<Notification> {
  const created = await callHost(notificationsPackage, as, 'insert', [options]);
  return created as Notification;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return `${error.status}: ${error.message}`;
}

describe('[NOTIFICATIONS]: insert', () => {
  it('returns the created notification with its id', async () => {
    const created = await insert(reminder);
    expect(created).toMatchObject({
      id: expect.any(Number),
      appId: scope.appId,
      status: 'published',
      data: reminder.data,
      pushNotification: { ...reminder.pushNotification, sandbox: false },
      // No push provider is configured: the push waits in the table.
      pushStatus: 'stored',
    });
    expect(new Date(created.createdAt).getTime()).not.toBeNaN();
  });

  it('keeps drafts without a push status and extra data keys as given', async () => {
    const draft = await insert({ status: 'draft', data: { message: 'later', custom: [1] } });
    expect(draft).toMatchObject({ status: 'draft', data: { message: 'later', custom: [1] } });
    expect(draft.pushStatus).toBeNull();
    const pushLater = await insert({ ...reminder, status: 'draft' });
    expect(pushLater.pushStatus).toBeNull();
  });

  it('refuses bad input with the field at fault', async () => {
    expect(await failure(insert({ data: {} }))).toContain('options.data.message');
    expect(await failure(insert({ ...reminder, status: 'sent' }))).toContain('options.status');
    expect(await failure(insert({ ...reminder, scope: { userId: 1 } }))).toContain('scope');
    expect(await failure(insert(null))).toMatch(/^BAD_REQUEST: Notifications.insert: options/);
  });

  it('refuses text jsonb cannot hold and data nested past 64 levels, storing nothing', async () => {
    const before = await listNotifications(test.db, scope.appId, { limit: 500 });
    // Parsed, as a host call's arguments are (callHost's JSON.stringify would overflow first).
    const deep: unknown = JSON.parse(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    const data = (extra: Record<string, unknown>) => ({ data: { ...reminder.data, ...extra } });
    const cases: [unknown, string][] = [
      [data({ message: 'nul \u0000' }), 'options.data.message: contains a NUL character'],
      [data({ ['k\ud800']: 1 }), 'options.data: has a key with a broken UTF-16 surrogate'],
      [data({ navigate: { page: deep } }), 'options.data.navigate.page.a.a.a.a.a: …'],
      [data({ navigate: { page: deep } }), 'is nested deeper than 64 levels'],
    ];
    const { insert: method } = notificationsPackage.host(scope);
    if (!method) throw new Error('no insert method');
    for (const [options, message] of cases) {
      const error = await failure(method([options], new AbortController().signal));
      expect(error).toMatch(/^BAD_REQUEST: Notifications.insert: /);
      expect(error).toContain(message);
    }
    expect(await listNotifications(test.db, scope.appId, { limit: 500 })).toEqual(before);
  });

  it('hands pushes to a push transport when one is configured', async () => {
    const sent: unknown[] = [];
    const push: PushTransport = { name: 'fake', send: async (message) => void sent.push(message) };
    const created = await createNotification(test.db, actorOf(scope), reminder, push);
    expect(created.pushStatus).toBe('sent');
    expect(sent).toEqual([
      {
        notificationId: created.id,
        appId: scope.appId,
        payload: reminder.pushNotification.payload,
        sandbox: false,
      },
    ]);
    const broken: PushTransport = {
      name: 'broken',
      send: () => Promise.reject(new Error('provider down')),
    };
    const failed = await createNotification(test.db, actorOf(scope), reminder, broken);
    expect(failed.pushStatus).toBe('failed');
  });
});

describe('[NOTIFICATIONS]: get', () => {
  it("lists the app's notifications newest first, never another app's", async () => {
    const theirs = await insert({ data: { message: 'other app' } }, other);
    const mine = await listNotifications(test.db, scope.appId);
    expect(mine.length).toBeGreaterThan(2);
    expect(mine.map((n) => n.id)).toEqual([...mine.map((n) => n.id)].sort((a, b) => b - a));
    expect(mine.some((n) => n.id === theirs.id)).toBe(false);
    const drafts = await callHost(notificationsPackage, scope, 'get', [{ status: 'draft' }]);
    expect(Array.isArray(drafts) && drafts.every((n: Notification) => n.status === 'draft')).toBe(
      true,
    );
    const page = await listNotifications(test.db, scope.appId, { limit: 1, offset: 1 });
    expect(page.map((n) => n.id)).toEqual([mine[1]?.id]);
    expect(await failure(listNotifications(test.db, scope.appId, { limit: 0 }))).toContain(
      'limit',
    );
  });
});

describe('[NOTIFICATIONS]: inside an action', () => {
  it('returns notification.id as in the spec example', async () => {
    const code = `async function execute() {
      const notification = await Fliplet.Notifications.insert(${JSON.stringify(reminder)});
      const all = await Fliplet.Notifications.get();
      return { id: notification.id, listed: all.some((n) => n.id === notification.id) };
    }`;
    const result = resultOf(await runAction(scope, code, ['fliplet-notifications']));
    expect(result).toEqual({ id: expect.any(Number), listed: true });
  });
});
