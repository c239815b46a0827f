import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

import type { AppRouter } from '@/server/api/root';

/**
 * What the Outbox page shows (the kind of message, the open message) and its URL form, so a
 * support link such as `/apps/1/outbox?kind=email&message=12` opens that email.
 */

type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;

export type OutboxKind = Inputs['outbox']['list']['kind'];
export type OutboxOverview = Outputs['outbox']['overview'];
export type OutboxSummary = Outputs['outbox']['list']['items'][number];
export type OutboxMessage = Outputs['outbox']['get'];
export type EmailMessage = Extract<OutboxMessage, { kind: 'email' }>;
export type SentBy = NonNullable<OutboxSummary['sentBy']>;
export type Recipient = EmailMessage['to'][number];

export interface OutboxView {
  kind: OutboxKind;
  /** The id of the message whose detail is open. */
  message?: number;
}

// Keyed by the server's enum: a kind added there fails to compile here until it is labelled.
export const kindLabels: Record<OutboxKind, { tab: string; one: string }> = {
  email: { tab: 'Email', one: 'Email' },
  sms: { tab: 'SMS', one: 'SMS' },
  push: { tab: 'Push', one: 'Push notification' },
  notification: { tab: 'Notifications', one: 'Notification' },
};

export const outboxKindList = Object.keys(kindLabels).filter(isOutboxKind);

function isOutboxKind(value: string | null): value is OutboxKind {
  return value !== null && Object.hasOwn(kindLabels, value);
}

export function parseOutboxView(params: URLSearchParams): OutboxView {
  const kind = params.get('kind');
  const message = /^[1-9][0-9]{0,9}$/.test(params.get('message') ?? '')
    ? Number(params.get('message'))
    : undefined;
  return { kind: isOutboxKind(kind) ? kind : 'email', message };
}

export function outboxViewToSearch(view: OutboxView): string {
  const params = new URLSearchParams();
  if (view.kind !== 'email') params.set('kind', view.kind);
  if (view.message !== undefined) params.set('message', String(view.message));
  return params.toString();
}

/** `Nick <nick@company.test>`, or the bare address. */
export function formatRecipient(recipient: Recipient): string {
  return recipient.name ? `${recipient.name} <${recipient.email}>` : recipient.email;
}

/** The recipients of one type (`to`, `cc`, `bcc`), comma separated; empty when none. */
export function recipientsOf(to: Recipient[], type: Recipient['type']): string {
  return to
    .filter((recipient) => recipient.type === type)
    .map(formatRecipient)
    .join(', ');
}

/**
 * A document for the sandboxed frame that shows an email's HTML: its own policy forbids
 * scripts and every fetch (remote images are how senders learn a mail was opened), so
 * nothing in the body runs or reaches the network. The frame's empty `sandbox` is the
 * other half: no scripts, forms, pop-ups or same-origin access even if the policy failed.
 */
export function sandboxedEmailDocument(html: string): string {
  const policy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:";
  return `<meta http-equiv="Content-Security-Policy" content="${policy}">${html}`;
}
