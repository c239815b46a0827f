import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { and, asc, eq, type SQL } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { prepareDatabase } from '../../scripts/lib/prepare';
import { handleRest } from '../../server/api/rest/handler';
import { db } from '../../server/db/client';
import {
  actionLogs,
  actions,
  appLogs,
  appNotifications,
  dataSourceEntries,
  dataSources,
  emailOutbox,
  mediaFiles,
  mediaFolders,
  scheduleTicks,
} from '../../server/db/schema';
import { SUMMARY_RECIPIENT, SUMMARY_TIMEZONE } from '../../server/db/seed-content';
import { logger } from '../../server/log';
import { nextFireTime } from '../../server/triggers/cron';
import { Scheduler } from '../../server/triggers/scheduler';
import { createTestDatabase, startRunner, type RunnerProcess, type TestDatabase } from '../harness';

/**
 * The demo app's example actions, end to end: seeded as `npm start` seeds them, run through the
 * REST layer by a real runner process, with a real SMTP server and a real feed server, both on
 * loopback. Tests run in order and share the seeded data, as a user trying the demo would.
 */

interface Received {
  to: string[];
  raw: string;
}

interface Feed {
  items: { id: string; title: string; url: string; date_published: string }[];
}

let database: TestDatabase;
let runner: RunnerProcess | undefined;
let smtp: SMTPServer;
let feedServer: http.Server;
let feedOrigin: string;
const mail: Received[] = [];
const feedRequests: string[] = [];
let feed: Feed = { items: [] };

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.DEV_API_TOKEN = 't';
  process.env.DEMO_ADMIN_PASSWORD = 'demo actions test passphrase';
  process.env.ACTIONS_RATE_LIMIT_RUN = '10000';
  await prepareDatabase(database.url);

  smtp = await startSmtpServer();
  feedServer = await startFeedServer();
  const smtpAddress = smtp.server.address() as AddressInfo;
  feedOrigin = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
  runner = await startRunner(database.url, {
    SMTP_URL: `smtp://127.0.0.1:${smtpAddress.port}`,
    SMTP_FROM: 'demo@platform.test',
    // Only the feed server's address: /32, not the whole loopback range.
    ACTIONS_FETCH_ALLOW: '127.0.0.1/32',
  });
});

afterAll(async () => {
  await runner?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(resolve) : resolve()));
  await new Promise<void>((resolve) => (feedServer?.close(() => resolve()) ?? resolve()));
  await db().$client.end();
  await database?.drop();
});

function startSmtpServer(): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((address) => address.address);
        mail.push({ to, raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function startFeedServer(): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    feedRequests.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'application/feed+json' });
    response.end(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', ...feed }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function runWithResult(name: string, payload: unknown) {
  const response = await handleRest(
    new Request(`http://localhost/v3/apps/1/actions/${name}/run-with-result`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'auth-token': 't' },
      body: JSON.stringify(payload),
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function entriesOf(name: string) {
  const [source] = await db()
    .select()
    .from(dataSources)
    .where(and(eq(dataSources.appId, 1), eq(dataSources.name, name)));
  if (!source) throw new Error(`no data source ${name}`);
  return db()
    .select()
    .from(dataSourceEntries)
    .where(eq(dataSourceEntries.dataSourceId, source.id))
    .orderBy(asc(dataSourceEntries.id));
}

/** The message as a reader sees it: quoted-printable soft breaks and escapes undone. */
function decoded(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

async function mailTo(address: string, from: number): Promise<Received> {
  await expect.poll(() => mail.slice(from).some((m) => m.to.includes(address))).toBe(true);
  const message = mail.slice(from).find((m) => m.to.includes(address));
  if (!message) throw new Error(`no mail to ${address}`);
  return message;
}

function updateEvents(where: SQL) {
  return db()
    .select()
    .from(appLogs)
    .where(and(eq(appLogs.type, 'dataSource.entry.update'), where));
}

function londonTime(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: SUMMARY_TIMEZONE,
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

describe('[DEMO]: the seeded actions', () => {
  it('seeds the scheduled actions published and active, with a next run', async () => {
    const rows = await db()
      .select()
      .from(actions)
      .where(eq(actions.appId, 1))
      .orderBy(asc(actions.id));
    const names = rows.filter((row) => row.masterId === null).map((row) => row.name);
    expect(names).toEqual([
      'hello-world',
      'confirm-booking',
      'count-bookings',
      'divide',
      'bookings-screen-tip',
      'weekly-bookings-summary',
      'import-news-feed',
      'check-out-all',
      'export-bookings-csv',
      'guest-note',
    ]);
    const production = (name: string) => rows.find((r) => r.name === name && r.masterId !== null);
    const weekly = production('weekly-bookings-summary');
    const nightly = production('check-out-all');
    const london = { active: true, timezone: 'Europe/London' };
    expect(weekly).toMatchObject({ ...london, frequency: '0 8 * * 1' });
    expect(nightly).toMatchObject({ ...london, frequency: '0 0 * * *' });

    const from = new Date();
    const weeklyNext = nextFireTime(weekly?.frequency ?? '', weekly?.timezone ?? '', from);
    const nightlyNext = nextFireTime(nightly?.frequency ?? '', nightly?.timezone ?? '', from);
    expect(londonTime(weeklyNext ?? from)).toBe('Monday 08:00');
    expect(londonTime(nightlyNext ?? from)).toMatch(/ 00:00$/);
    expect(weeklyNext!.getTime() - from.getTime()).toBeLessThanOrEqual(7 * 24 * 3600_000);
    expect(nightlyNext!.getTime() - from.getTime()).toBeLessThanOrEqual(25 * 3600_000);
  });

  it('confirm-booking changes the Bookings row and writes an entry update event', async () => {
    const [ada] = await entriesOf('Bookings');
    expect(ada?.data).toMatchObject({ Name: 'Ada Lovelace', Status: 'Pending' });

    const run = await runWithResult('confirm-booking', { entryId: ada?.id, name: 'Nick' });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ success: true, booking: { Status: 'Confirmed' } });

    const [after] = await entriesOf('Bookings');
    expect(after?.data).toEqual({ ...ada?.data, Status: 'Confirmed', ConfirmedBy: 'Nick' });
    const events = await updateEvents(eq(appLogs.dataSourceEntryId, ada!.id));
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({
      columns: ['Status', 'ConfirmedBy'],
      previous: { Status: 'Pending' },
      entry: { Name: 'Ada Lovelace', Status: 'Confirmed', ConfirmedBy: 'Nick' },
    });
  });

  it('weekly-bookings-summary, run by hand, mails the counts to the payload address', async () => {
    const before = mail.length;
    const run = await runWithResult('weekly-bookings-summary', { to: 'ops@company.test' });
    expect(run.status).toBe(200);
    // Ada was confirmed by the test above.
    const counts = { Pending: 1, Confirmed: 2, Cancelled: 0 };
    expect(run.body).toMatchObject({ to: 'ops@company.test', total: 3, counts });
    expect(run.body.email).toMatchObject({ status: 'sent' });

    const message = await mailTo('ops@company.test', before);
    expect(message.to).toEqual(['ops@company.test']);
    const text = decoded(message.raw);
    expect(text).toContain('Subject: Weekly bookings summary: 3 bookings');
    expect(text).toContain('From: Demo app <demo@platform.test>');
    expect(text).toContain('Pending: 1\r\nConfirmed: 2\r\nCancelled: 0\r\n\r\nTotal: 3');
    expect(text).toContain(
      '<ul><li>Pending: 1</li><li>Confirmed: 2</li><li>Cancelled: 0</li></ul><p>Total: 3</p>',
    );
    const [outbox] = await db().select().from(emailOutbox).where(eq(emailOutbox.id, Number(
      (run.body.email as { id: number }).id,
    )));
    expect(outbox).toMatchObject({ status: 'sent', transport: 'smtp' });
  });

  it('weekly-bookings-summary runs at its slot with an empty payload, to the team', async () => {
    const slot = nextFireTime('0 8 * * 1', SUMMARY_TIMEZONE, new Date());
    if (!slot) throw new Error('no next slot');
    let now = new Date(slot.getTime() - 1000);
    const scheduler = new Scheduler({ db: db(), logger, now: () => now });
    expect(await scheduler.tick()).toBe(0);
    const before = mail.length;
    now = new Date(slot.getTime() + 500);
    expect(await scheduler.tick()).toBe(1);

    const [tick] = await db().select().from(scheduleTicks).where(eq(scheduleTicks.slot, slot));
    const message = await mailTo(SUMMARY_RECIPIENT, before);
    expect(decoded(message.raw)).toContain('Subject: Weekly bookings summary: 3 bookings');
    const runLog = () => db().select().from(actionLogs).where(eq(actionLogs.runId, tick!.runId));
    await expect.poll(async () => (await runLog()).length).toBe(1);
    const [log] = await runLog();
    expect(log?.type).toBe('app.task.completed');
    expect(log?.version).toBe('production');
    expect(log?.data).toMatchObject({ mode: 'scheduled', payload: {} });
  });

  it('import-news-feed stores new items once, with one notification each', async () => {
    const item = (n: number) => ({
      id: `https://news.example/${n}`,
      title: `Story ${n}`,
      url: `https://news.example/${n}.html`,
      date_published: `2026-01-0${n}T09:00:00Z`,
    });
    feed = { items: [item(3), item(2), item(1)] };
    const feedUrl = `${feedOrigin}/feed.json`;

    const first = await runWithResult('import-news-feed', { feedUrl });
    expect(first).toEqual({ status: 200, body: { imported: 3, skipped: 0 } });
    const news = await entriesOf('News');
    expect(news.map((entry) => entry.data)).toEqual(
      [3, 2, 1].map(item).map(({ id, title, url, date_published: published }) => ({
        Title: title,
        Link: url,
        PublishedAt: published,
        Guid: id,
      })),
    );
    const notifications = () =>
      db()
        .select()
        .from(appNotifications)
        .where(eq(appNotifications.appId, 1))
        .orderBy(asc(appNotifications.id));
    expect((await notifications()).map((n) => [n.status, n.data])).toEqual(
      [3, 2, 1].map((n) => [
        'published',
        { title: 'News', message: `Story ${n}`, navigate: { action: 'url', url: item(n).url } },
      ]),
    );

    const again = await runWithResult('import-news-feed', { feedUrl });
    expect(again).toEqual({ status: 200, body: { imported: 0, skipped: 3 } });
    expect(await entriesOf('News')).toHaveLength(3);
    expect(await notifications()).toHaveLength(3);

    feed = { items: [item(4), ...feed.items] };
    const more = await runWithResult('import-news-feed', { feedUrl });
    expect(more).toEqual({ status: 200, body: { imported: 1, skipped: 3 } });
    const after = await entriesOf('News');
    expect(after.map((entry) => entry.data.Guid)).toEqual([3, 2, 1, 4].map((n) => item(n).id));
    expect((await notifications()).map((n) => n.data.message)).toEqual(
      ['Story 3', 'Story 2', 'Story 1', 'Story 4'],
    );
    expect(feedRequests).toEqual(['/feed.json', '/feed.json', '/feed.json']);
  });

  it('check-out-all closes exactly the open check-ins, not the closed one', async () => {
    const before = await entriesOf('Check-ins');
    const open = before.filter((entry) => entry.data.CheckedOutAt === undefined);
    const closed = before.filter((entry) => entry.data.CheckedOutAt !== undefined);
    expect(open).toHaveLength(3);
    expect(closed).toHaveLength(1);

    const run = await runWithResult('check-out-all', {});
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ checkedOut: 3 });
    const at = String(run.body.at);
    expect(Date.parse(at)).toBeGreaterThan(Date.now() - 60_000);

    const after = await entriesOf('Check-ins');
    for (const entry of open) {
      const now = after.find((row) => row.id === entry.id);
      expect(now?.data).toEqual({ ...entry.data, CheckedOutAt: at, Status: 'Checked out' });
    }
    const stillClosed = after.find((row) => row.id === closed[0]?.id);
    expect(stillClosed?.data).toEqual(closed[0]?.data);
    expect(stillClosed?.updatedAt).toEqual(closed[0]?.updatedAt);

    const events = await updateEvents(eq(appLogs.dataSourceId, open[0]!.dataSourceId));
    expect(events.map((event) => event.dataSourceEntryId).sort()).toEqual(
      open.map((entry) => entry.id).sort(),
    );

    const rerun = await runWithResult('check-out-all', {});
    expect(rerun.body).toMatchObject({ checkedOut: 0 });
  });

  it('export-bookings-csv stores the bookings as a CSV media file that the file URL serves', async () => {
    const bookings = await entriesOf('Bookings');
    const run = await runWithResult('export-bookings-csv', {});
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ rows: bookings.length });
    const url = new URL(String(run.body.url));
    expect(url.pathname).toBe(`/v3/apps/1/media/files/${String(run.body.fileId)}/contents`);

    const file = await handleRest(
      new Request(`http://localhost${url.pathname}`, { headers: { 'auth-token': 't' } }),
    );
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    const cell = (value: unknown) => String(value ?? '');
    const expected = [
      'id,Name,Email,Date,Status',
      ...bookings.map((entry) =>
        [entry.id, entry.data.Name, entry.data.Email, entry.data.Date, entry.data.Status]
          .map(cell)
          .join(','),
      ),
    ].join('\r\n');
    expect(await file.text()).toBe(expected);

    // A status is a value to match, not an operator.
    const operator = await runWithResult('export-bookings-csv', { status: { $ne: 'x' } });
    expect(operator.body).toMatchObject({ status: 'EXECUTION_FAILED' });
    // Only the confirmed ones, into the same Exports folder.
    const confirmed = bookings.filter((entry) => entry.data.Status === 'Confirmed');
    const again = await runWithResult('export-bookings-csv', { status: 'Confirmed' });
    expect(again.body).toMatchObject({ rows: confirmed.length });
    const folders = await db()
      .select()
      .from(mediaFolders)
      .where(and(eq(mediaFolders.appId, 1), eq(mediaFolders.name, 'Exports')));
    expect(folders).toHaveLength(1);
    const files = await db().select().from(mediaFiles).where(eq(mediaFiles.folderId, folders[0]!.id));
    expect(files).toHaveLength(2);
  });

  it('guest-note keeps a note on a booking encrypted, and reads it back', async () => {
    const [, alan] = await entriesOf('Bookings');
    const note = 'Needs a ground-floor room';
    const stored = await runWithResult('guest-note', { entryId: alan!.id, note });
    expect(stored).toEqual({ status: 200, body: { entryId: alan!.id, note } });

    const [, after] = await entriesOf('Bookings');
    const token = String(after?.data.PrivateNote);
    expect(token).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(token).not.toContain('ground-floor');
    expect(after?.data).toEqual({ ...alan?.data, PrivateNote: token });

    const missing = await runWithResult('guest-note', { entryId: 999_999 });
    expect(missing.body).toMatchObject({
      status: 'EXECUTION_FAILED',
      error: 'No booking with id 999999',
    });
    const read = await runWithResult('guest-note', { entryId: alan!.id });
    expect(read.body).toEqual({ entryId: alan!.id, note });
    const [, untouched] = await entriesOf('Bookings');
    expect(untouched?.data.PrivateNote).toBe(token);
  });
});

describe('[DEMO]: import-news-feed under the default fetch policy', () => {
  it('fails with a clear error for a loopback feed when no allow list is configured', async () => {
    await runner?.stop();
    // The default policy: no allow list, so loopback is refused like any private address.
    runner = await startRunner(database.url, { ACTIONS_FETCH_ALLOW: '' });
    const requests = feedRequests.length;
    const newsBefore = await entriesOf('News');

    const run = await runWithResult('import-news-feed', { feedUrl: `${feedOrigin}/feed.json` });
    expect(run.status).toBe(400);
    expect(run.body.status).toBe('EXECUTION_FAILED');
    expect(run.body.error).toMatch(
      new RegExp(`^fetch: ${feedOrigin} is not reachable from actions: .*loopback`),
    );
    expect(feedRequests).toHaveLength(requests);
    expect(await entriesOf('News')).toEqual(newsBefore);
  });
});
