import nodemailer from 'nodemailer';
import { z } from 'zod';

import type { EmailRecipient } from '../../db/schema';
import { readSettings } from './settings';

/**
 * Where messages go once they are in the outbox. Each channel has one interface; a provider
 * (Mailgun, Twilio, APNs/FCM, …) plugs in by implementing it and being returned from the
 * matching `…TransportFromEnv`. With no transport, messages stay in the outbox with status
 * `stored` and nothing leaves the machine.
 */

export interface OutgoingEmail {
  to: EmailRecipient[];
  fromName: string | null;
  replyTo: string | null;
  subject: string;
  html: string | null;
  text: string | null;
}

export interface EmailTransport {
  /** Stored with each message, e.g. `smtp`. */
  readonly name: string;
  send(email: OutgoingEmail): Promise<{ messageId: string | null }>;
}

export interface OutgoingSms {
  to: string;
  body: string;
}

export interface SmsTransport {
  readonly name: string;
  send(sms: OutgoingSms): Promise<void>;
}

export interface OutgoingPush {
  notificationId: number;
  appId: number;
  payload: Record<string, unknown>;
  /** Only to test devices (the spec's `sandbox: true`). */
  sandbox: boolean;
}

export interface PushTransport {
  readonly name: string;
  send(push: OutgoingPush): Promise<void>;
}

export interface Transports {
  email: EmailTransport | null;
  sms: SmsTransport | null;
  push: PushTransport | null;
}

/** What the outbox row keeps: the transport's full message, for whoever runs the server. */
export function describeFailure(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}

const smtpEnvSchema = z.object({
  /** e.g. `smtp://user:pass@mail.example.com:587` or `smtps://…:465`; unset keeps mail stored. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** The sender address; the action's `from_name` becomes its display name. */
  SMTP_FROM: z.email().default('no-reply@localhost'),
});

// A mail server that stops answering must not hold a run until the run's own time-out.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export function smtpTransport(url: string, from: string): EmailTransport {
  const transporter = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS });
  return {
    name: 'smtp',
    async send(email) {
      const addresses = (type: EmailRecipient['type']) =>
        email.to
          .filter((recipient) => recipient.type === type)
          .map((recipient) => ({ name: recipient.name ?? '', address: recipient.email }));
      const info = await transporter.sendMail({
        from: email.fromName ? { name: email.fromName, address: from } : from,
        to: addresses('to'),
        cc: addresses('cc'),
        bcc: addresses('bcc'),
        replyTo: email.replyTo ?? undefined,
        subject: email.subject,
        html: email.html ?? undefined,
        text: email.text ?? undefined,
      });
      return { messageId: info.messageId || null };
    },
  };
}

/** The transports this process is configured with; read on each call so tests can vary it. */
export function transportsFromEnv(
  environment: Record<string, string | undefined> = process.env,
): Transports {
  const { SMTP_URL, SMTP_FROM } = readSettings(smtpEnvSchema, 'email', environment);
  // No SMS or push provider ships with the product yet: those messages stay in their outbox.
  return { email: SMTP_URL ? smtpTransport(SMTP_URL, SMTP_FROM) : null, sms: null, push: null };
}
