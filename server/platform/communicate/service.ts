import { eq } from 'drizzle-orm';

import type { Db } from '../../db/client';
import { emailOutbox, smsOutbox } from '../../db/schema';
import { AppError } from '../../errors';
import { writeAppLog } from '../app-log';
import { parseInput } from '../datasources/validate';
import { createNotification, type Notification } from '../notifications/service';
import type { PackageActor } from './host-method';
import {
  sendEmailSchema,
  sendPushSchema,
  sendSmsSchema,
  type SendEmailInput,
  type SendPushInput,
  type SendSmsInput,
} from './schemas';
import {
  describeFailure,
  type EmailTransport,
  type OutgoingEmail,
  type PushTransport,
  type SmsTransport,
} from './transports';

/**
 * Email, SMS and push for one app. A message is first written to its outbox together with its
 * app log event (one transaction), then handed to the channel's transport if there is one, and
 * its row records what happened. So every message an action sent is listed, sent or not.
 */

export type OutboxStatus = 'stored' | 'sending' | 'sent' | 'failed';

export interface SendResult {
  id: number;
  status: OutboxStatus;
}

export async function sendEmail(
  db: Db,
  actor: PackageActor,
  input: SendEmailInput,
  transport: EmailTransport | null,
): Promise<SendResult & { messageId: string | null }> {
  const options = parseInput(sendEmailSchema, input, 'Communicate.sendEmail');
  const email: OutgoingEmail = {
    to: options.to,
    fromName: options.from_name ?? null,
    replyTo: options.headers?.['Reply-To'] ?? null,
    subject: options.subject,
    html: options.html ?? null,
    text: options.text ?? null,
  };
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(emailOutbox)
      .values({
        appId: actor.appId,
        ...email,
        status: transport ? 'sending' : 'stored',
        transport: transport?.name ?? null,
        runId: actor.origin?.runId ?? null,
      })
      .returning({ id: emailOutbox.id });
    if (!row) throw new Error('email outbox insert returned no row');
    await writeAppLog(tx, {
      appId: actor.appId,
      organizationId: actor.organizationId,
      type: 'email.communicate',
      // Addresses and subject identify the message; bodies stay in the outbox only.
      data: {
        emailId: row.id,
        to: email.to.map((recipient) => recipient.email),
        subject: email.subject,
      },
      origin: actor.origin,
    });
    return row.id;
  });
  if (!transport) return { id, status: 'stored', messageId: null };

  try {
    const { messageId } = await transport.send(email);
    await db
      .update(emailOutbox)
      .set({ status: 'sent', messageId, sentAt: new Date() })
      .where(eq(emailOutbox.id, id));
    return { id, status: 'sent', messageId };
  } catch (error) {
    await db
      .update(emailOutbox)
      .set({ status: 'failed', error: describeFailure(error) })
      .where(eq(emailOutbox.id, id));
    throw new AppError('INTERNAL_ERROR', `Communicate.sendEmail: ${refusal('email', id, error)}`, {
      cause: error,
    });
  }
}

export async function sendSms(
  db: Db,
  actor: PackageActor,
  input: SendSmsInput,
  transport: SmsTransport | null,
): Promise<SendResult> {
  const { data: sms } = parseInput(sendSmsSchema, input, 'Communicate.sendSMS');
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(smsOutbox)
      .values({
        appId: actor.appId,
        to: sms.to,
        body: sms.body,
        status: transport ? 'sending' : 'stored',
        transport: transport?.name ?? null,
        runId: actor.origin?.runId ?? null,
      })
      .returning({ id: smsOutbox.id });
    if (!row) throw new Error('sms outbox insert returned no row');
    await writeAppLog(tx, {
      appId: actor.appId,
      organizationId: actor.organizationId,
      type: 'sms.communicate',
      data: { smsId: row.id, to: sms.to },
      origin: actor.origin,
    });
    return row.id;
  });
  if (!transport) return { id, status: 'stored' };

  try {
    await transport.send(sms);
    await db
      .update(smsOutbox)
      .set({ status: 'sent', sentAt: new Date() })
      .where(eq(smsOutbox.id, id));
    return { id, status: 'sent' };
  } catch (error) {
    await db
      .update(smsOutbox)
      .set({ status: 'failed', error: describeFailure(error) })
      .where(eq(smsOutbox.id, id));
    throw new AppError('INTERNAL_ERROR', `Communicate.sendSMS: ${refusal('SMS', id, error)}`, {
      cause: error,
    });
  }
}

/**
 * A push message to the app's users, kept as a published notification that carries it. An
 * action may only push to its own app: the spec passes the app id explicitly, so it is checked.
 */
export async function sendPushNotification(
  db: Db,
  actor: PackageActor,
  appId: number,
  input: SendPushInput,
  transport: PushTransport | null,
): Promise<Notification> {
  if (appId !== actor.appId) {
    throw new AppError(
      'FORBIDDEN',
      `Communicate.sendPushNotification: an action can only notify its own app (${actor.appId})`,
    );
  }
  const push = parseInput(sendPushSchema, input, 'Communicate.sendPushNotification');
  return createNotification(
    db,
    actor,
    {
      status: 'published',
      data: { title: push.title, message: push.body },
      pushNotification: { payload: { title: push.title, body: push.body }, sandbox: push.sandbox },
    },
    transport,
  );
}

/**
 * What the action is told: the kind of failure, not the mail server's own words, which can
 * name hosts and accounts of the platform.
 */
function refusal(kind: string, id: number, error: unknown): string {
  const code = errorField(error, 'code');
  const responseCode = errorField(error, 'responseCode');
  const detail = [code, responseCode].filter((part) => part !== undefined).join(' ');
  const suffix = detail ? ` (${detail})` : '';
  return `the ${kind} could not be handed to the provider${suffix}; the outbox keeps it as #${id}`;
}

function errorField(error: unknown, key: string): string | undefined {
  if (typeof error !== 'object' || error === null || !(key in error)) return undefined;
  const value: unknown = Reflect.get(error, key);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
