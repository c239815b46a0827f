import type { ReactNode } from 'react';

import type { OutboxKind, OutboxOverview } from './outboxView';

/** Why a tab is empty, how messages get here, and where they go once they do. */
export function OutboxEmptyState({
  kind,
  overview,
}: {
  kind: OutboxKind;
  overview: OutboxOverview | undefined;
}) {
  const transports = overview?.transports;
  return (
    <div className="grid gap-1 rounded border border-dashed border-slate-300 p-4 text-sm">
      <p className="font-medium text-slate-800">{headings[kind]}</p>
      <p className="text-slate-600">{sources[kind]}</p>
      {transports ? <p className="text-slate-600">{delivery(kind, transports)}</p> : null}
    </div>
  );
}

const headings: Record<OutboxKind, string> = {
  email: 'No emails yet',
  sms: 'No SMS yet',
  push: 'No push notifications yet',
  notification: 'No in-app notifications yet',
};

const communicate = <code>fliplet-communicate</code>;
const notifications = <code>fliplet-notifications</code>;

const sources: Record<OutboxKind, ReactNode> = {
  email: (
    <>
      Emails appear here when an action calls <code>Fliplet.Communicate.sendEmail</code> (with{' '}
      {communicate} in its dependencies).
    </>
  ),
  sms: (
    <>
      Text messages appear here when an action calls <code>Fliplet.Communicate.sendSMS</code>{' '}
      (with {communicate} in its dependencies).
    </>
  ),
  push: (
    <>
      Push notifications appear here when an action calls{' '}
      <code>Fliplet.Communicate.sendPushNotification</code> ({communicate}), or{' '}
      <code>Fliplet.Notifications.insert</code> with a <code>pushNotification</code> (
      {notifications}).
    </>
  ),
  notification: (
    <>
      In-app notifications appear here when an action calls{' '}
      <code>Fliplet.Notifications.insert</code> ({notifications}) or{' '}
      <code>Fliplet.Communicate.sendPushNotification</code> ({communicate}).
    </>
  ),
};

function delivery(kind: OutboxKind, transports: OutboxOverview['transports']): string {
  switch (kind) {
    case 'email':
      return transports.email
        ? `This server sends email through ${transports.email.toUpperCase()}; each one is ` +
            'also kept here with the message id the mail server gave it, or its error.'
        : 'SMTP_URL is not set on this server, so emails are not delivered: they are kept ' +
            'here with the status “stored”.';
    case 'sms':
      return transports.sms
        ? `This server hands text messages to ${transports.sms}.`
        : 'No SMS provider is configured, so text messages are kept here with the status ' +
            '“stored”.';
    case 'push':
      return transports.push
        ? `This server hands push notifications to ${transports.push}.`
        : 'No push provider is configured, so push notifications are kept here with the ' +
            'status “stored”.';
    case 'notification':
      return 'In-app notifications are stored for the app itself; nothing is sent anywhere.';
  }
}
