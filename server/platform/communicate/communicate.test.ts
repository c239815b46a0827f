import type { AddressInfo } from 'node:net';
import net from 'node:net';

import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  callHost,
  createPlatformTestDatabase,
  resultOf,
  runAction,
  type PlatformTestDatabase,
} from '../../../test/platform-scope';
import { emailOutbox, smsOutbox } from '../../db/schema';
import { isAppError } from '../../errors';
import type { PlatformScope } from '../types';
import { actorOf } from './host-method';
import { communicatePackage } from './package';
import { sendSms } from './service';
import type { SmsTransport } from './transports';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

let test: PlatformTestDatabase;
let scope: PlatformScope;
let smtp: SMTPServer;
let smtpUrl: string;
let connections = 0;
const received: Received[] = [];

beforeAll(async () => {
  test = await createPlatformTestDatabase();
  scope = await test.newScope();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect: (_session, callback) => {
      connections += 1;
      callback();
    },
    onRcptTo: (address, _session, callback) => {
      if (!address.address.startsWith('reject')) return callback();
      callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom;
        received.push({
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((address) => address.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = smtp.server.address();
  if (!address || typeof address === 'string') throw new Error('smtp server has no port');
  smtpUrl = `smtp://127.0.0.1:${address.port}`;
});

afterEach(() => {
  delete process.env.SMTP_URL;
  delete process.env.SMTP_FROM;
  vi.restoreAllMocks();
});

afterAll(async () => {
  await new Promise<void>((resolve) => (smtp ? smtp.close(resolve) : resolve()));
  await test?.drop();
});

const booking = {
  to: [
    { email: 'nick@company.test', name: 'Nick', type: 'to' },
    { email: 'boss@company.test', type: 'cc' },
  ],
  subject: 'Your booking is confirmed',
  from_name: 'Booking System',
  html: '<h1>Booking Confirmed</h1><p>Hi Nick, your booking has been confirmed.</p>',
};

const sendEmail = (options: unknown) =>
  callHost(communicatePackage, scope, 'sendEmail', [options]);

async function outboxRow(id: number) {
  const [row] = await test.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  return row;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return `${error.status}: ${error.message}`;
}

function idOf(result: unknown): number {
  const id: unknown = result && typeof result === 'object' ? Reflect.get(result, 'id') : undefined;
  if (typeof id !== 'number') throw new Error(`no id in ${JSON.stringify(result)}`);
  return id;
}

describe('[COMMUNICATE]: email through SMTP', () => {
  it('delivers to the mail server and records the outbox row and app log event', async () => {
    process.env.SMTP_URL = smtpUrl;
    process.env.SMTP_FROM = 'bookings@platform.test';
    const before = received.length;
    const result = await sendEmail(booking);
    expect(result).toMatchObject({ status: 'sent', messageId: expect.any(String) });

    const [message] = received.slice(before);
    expect(message?.from).toBe('bookings@platform.test');
    expect(message?.to).toEqual(['nick@company.test', 'boss@company.test']);
    expect(message?.raw).toContain('Subject: Your booking is confirmed');
    expect(message?.raw).toContain('To: Nick <nick@company.test>');
    expect(message?.raw).toContain('From: Booking System <bookings@platform.test>');
    expect(message?.raw).toContain('<h1>Booking Confirmed</h1><p>Hi Nick, your booking');

    const id = idOf(result);
    expect(await outboxRow(id)).toMatchObject({
      appId: scope.appId,
      status: 'sent',
      transport: 'smtp',
      subject: booking.subject,
      html: booking.html,
      sentAt: expect.any(Date),
    });
    const events = await test.appLogsOf(scope.appId);
    expect(events.find((event) => event.data.emailId === id)).toMatchObject({
      type: 'email.communicate',
      organizationId: scope.organizationId,
      data: { to: ['nick@company.test', 'boss@company.test'], subject: booking.subject },
    });
  });

  it('sends from an action through Fliplet.Communicate', async () => {
    process.env.SMTP_URL = smtpUrl;
    const before = received.length;
    const code = `async function execute(context) {
      const sent = await Fliplet.Communicate.sendEmail({
        to: [{ email: context.payload.email, name: 'Ann', type: 'to' }],
        subject: 'From the isolate',
        text: 'Plain text body from an action',
      });
      return sent.status;
    }`;
    const outcome = await runAction(scope, code, ['fliplet-communicate'], {
      payload: { email: 'ann@company.test' },
    });
    expect(resultOf(outcome)).toBe('sent');
    const [message] = received.slice(before);
    expect(message?.to).toEqual(['ann@company.test']);
    expect(message?.raw).toContain('Subject: From the isolate');
    expect(message?.raw).toContain('Plain text body from an action');
  });

  it('records a refused email as failed and tells the action why', async () => {
    process.env.SMTP_URL = smtpUrl;
    const options = { ...booking, to: [{ email: 'reject@company.test' }] };
    const message = await failure(sendEmail(options));
    expect(message).toMatch(/^INTERNAL_ERROR: Communicate.sendEmail: the email could not be/);
    const id = Number(/#(\d+)$/.exec(message)?.[1]);
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'failed', sentAt: null });
    expect(row?.error).toContain('550');
    const events = await test.appLogsOf(scope.appId);
    expect(events.some((event) => event.data.emailId === id)).toBe(true);
  });
});

describe('[COMMUNICATE]: email without SMTP', () => {
  it('keeps the email in the outbox and opens no connection', async () => {
    const ports: number[] = [];
    const connect = net.Socket.prototype.connect;
    vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (
      this: net.Socket,
      ...args: unknown[]
    ) {
      const [first] = args;
      const options: unknown = Array.isArray(first) ? first[0] : first;
      const port: unknown =
        options && typeof options === 'object' ? Reflect.get(options, 'port') : options;
      ports.push(Number(port));
      const socket: unknown = Reflect.apply(connect, this, args);
      if (!(socket instanceof net.Socket)) throw new Error('connect returned no socket');
      return socket;
    });
    const before = connections;
    const result = await sendEmail(booking);
    expect(result).toEqual({ id: expect.any(Number), status: 'stored', messageId: null });
    expect(connections).toBe(before);
    // Only the test database may have been connected to.
    expect(ports.filter((port) => port !== 5432)).toEqual([]);
    expect(await outboxRow(idOf(result))).toMatchObject({ status: 'stored', transport: null });
    const events = await test.appLogsOf(scope.appId);
    expect(events.filter((event) => event.data.emailId === idOf(result))).toHaveLength(1);
  });

  it('refuses bad input with the field at fault', async () => {
    const bad = (patch: Record<string, unknown>) => failure(sendEmail({ ...booking, ...patch }));
    expect(await bad({ to: [{ email: 'not-an-address' }] })).toContain('options.to.0.email');
    expect(await bad({ to: [] })).toContain('at least one recipient');
    expect(await bad({ to: [{ email: 'a@b.test', type: 'cc' }] })).toContain('of type "to"');
    expect(await bad({ html: undefined })).toContain('needs an html or a text body');
    expect(await bad({ subject: 'Hi\r\nBcc: all@company.test' })).toContain('one line');
    expect(await bad({ attachments: [] })).toContain('attachments');
  });

  it('refuses text the outbox cannot store, keeping nothing', async () => {
    const count = async () => ({
      emails: await test.db.$count(emailOutbox),
      sms: await test.db.$count(smsOutbox),
      events: (await test.appLogsOf(scope.appId)).length,
    });
    const before = await count();
    const email = (patch: Record<string, unknown>) => sendEmail({ ...booking, ...patch });
    const sms = (body: string) =>
      callHost(communicatePackage, scope, 'sendSMS', [{ data: { to: '+15550100', body } }]);
    // Thunks, so each call starts only when awaited.
    const cases: [() => Promise<unknown>, string][] = [
      [() => email({ html: '<p>\u0000</p>' }), 'options.html: contains a NUL character'],
      [() => email({ subject: 'Hi \ud800' }), 'options.subject: contains a broken UTF-16'],
      [() => email({ to: [{ email: 'a@b.test', name: 'A\udc00' }] }), 'options.to.0.name:'],
      [() => sms('code \u0000'), 'Communicate.sendSMS: options.data.body: contains a NUL'],
    ];
    for (const [attempt, message] of cases) {
      const error = await failure(attempt());
      expect(error).toMatch(/^BAD_REQUEST: /);
      expect(error).toContain(message);
    }
    expect(await count()).toEqual(before);
  });
});

describe('[COMMUNICATE]: SMS and push', () => {
  it('stores an SMS with its sms.communicate event', async () => {
    const sms = { data: { to: '+353 86 123 4567', body: 'Your code is 1234' } };
    const result = await callHost(communicatePackage, scope, 'sendSMS', [sms]);
    expect(result).toEqual({ id: expect.any(Number), status: 'stored' });
    const [row] = await test.db.select().from(smsOutbox).where(eq(smsOutbox.id, idOf(result)));
    expect(row).toMatchObject({ to: '+353 86 123 4567', body: 'Your code is 1234' });
    const events = await test.appLogsOf(scope.appId);
    expect(events.find((event) => event.data.smsId === idOf(result))?.type).toBe(
      'sms.communicate',
    );
    expect(
      await failure(callHost(communicatePackage, scope, 'sendSMS', [{ data: { to: 'x' } }])),
    ).toContain('options.data.to');
  });

  it('hands an SMS to a transport and records the outcome', async () => {
    const sent: unknown[] = [];
    const transport: SmsTransport = { name: 'fake', send: async (sms) => void sent.push(sms) };
    const sms = { data: { to: '+15550100', body: 'hello' } };
    expect(await sendSms(test.db, actorOf(scope), sms, transport)).toMatchObject({
      status: 'sent',
    });
    expect(sent).toEqual([{ to: '+15550100', body: 'hello' }]);
    const broken: SmsTransport = { name: 'broken', send: () => Promise.reject(new Error('x')) };
    expect(await failure(sendSms(test.db, actorOf(scope), sms, broken))).toContain('SMS');
  });

  it('keeps a push as a published notification, for its own app only', async () => {
    const push = { title: 'Update', body: 'Report ready', sandbox: true };
    const args = [scope.appId, push];
    const created = await callHost(communicatePackage, scope, 'sendPushNotification', args);
    expect(created).toMatchObject({
      status: 'published',
      data: { title: 'Update', message: 'Report ready' },
      pushNotification: { payload: { title: 'Update', body: 'Report ready' }, sandbox: true },
      pushStatus: 'stored',
    });
    const own = await callHost(communicatePackage, scope, 'sendPushNotification', [null, push]);
    expect(own).toMatchObject({ appId: scope.appId, pushStatus: 'stored' });
    const elsewhere = [scope.appId + 1000, push];
    expect(
      await failure(callHost(communicatePackage, scope, 'sendPushNotification', elsewhere)),
    ).toMatch(/^FORBIDDEN: .*own app/);
  });
});
