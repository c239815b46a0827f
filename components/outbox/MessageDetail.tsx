'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { Dialog } from '../Dialog';
import { formatTime } from '../formatters';
import { JsonBlock } from '../JsonBlock';
import { productErrorOf } from '../productError';
import { captionText } from '../styles';
import { useTRPC } from '../TrpcProvider';
import { EmailBody } from './EmailBody';
import { MessageStatus } from './MessageStatus';
import {
  kindLabels,
  recipientsOf,
  type EmailMessage,
  type OutboxKind,
  type OutboxMessage,
} from './outboxView';
import { SentByLinks } from './SentByLinks';

interface MessageDetailProps {
  appId: number;
  kind: OutboxKind;
  id: number;
  onClose: () => void;
}

/** One message in full, in a modal dialog named after it (`Email #12`). */
export function MessageDetail({ appId, kind, id, onClose }: MessageDetailProps) {
  const trpc = useTRPC();
  const message = useQuery(trpc.outbox.get.queryOptions({ appId, kind, id }));
  return (
    <Dialog title={`${kindLabels[kind].one} #${id}`} onClose={onClose} wide>
      {message.isPending ? <p className="text-sm text-slate-500">Loading the message…</p> : null}
      {message.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {productErrorOf(message.error).message}
        </p>
      ) : null}
      {message.data ? <MessageBody appId={appId} message={message.data} /> : null}
    </Dialog>
  );
}

function MessageBody({ appId, message }: { appId: number; message: OutboxMessage }) {
  const facts: [string, ReactNode][] = [
    ['Status', <MessageStatus key="status" message={message} />],
    ...kindFacts(message),
    ['Created', formatTime(message.createdAt)],
    ['Sent by', <SentByLinks key="sent-by" appId={appId} sentBy={message.sentBy} />],
  ];
  return (
    <div className="grid gap-4">
      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm">
        {facts.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-slate-500">{term}</dt>
            <dd className="min-w-0 break-words">{value}</dd>
          </div>
        ))}
      </dl>
      {'error' in message && message.error ? (
        <div role="note" className="rounded border border-red-200 bg-red-50 p-2 text-sm">
          <p className="font-medium text-red-800">The provider refused it</p>
          <p className="font-mono text-xs break-words text-red-900">{message.error}</p>
        </div>
      ) : null}
      <KindBody message={message} />
    </div>
  );
}

function kindFacts(message: OutboxMessage): [string, ReactNode][] {
  switch (message.kind) {
    case 'email':
      return emailFacts(message);
    case 'sms':
      return [
        ['To', message.to],
        ['Provider', message.transport ?? 'none (kept here)'],
        ['Sent', message.sentAt ? formatTime(message.sentAt) : '—'],
      ];
    case 'push':
      return [
        ['Title', message.title ?? '—'],
        ['Devices', message.sandbox ? 'test devices only (sandbox)' : 'all devices'],
        ['Notification', `#${message.id}, ${message.notificationStatus}`],
      ];
    case 'notification':
      return [
        ['Title', message.title ?? '—'],
        ['Push', message.pushStatus ?? 'none'],
      ];
  }
}

function emailFacts(email: EmailMessage): [string, ReactNode][] {
  const facts: [string, ReactNode][] = [['Subject', email.subject]];
  for (const [term, type] of [
    ['To', 'to'],
    ['Cc', 'cc'],
    ['Bcc', 'bcc'],
  ] as const) {
    const list = recipientsOf(email.to, type);
    if (list) facts.push([term, list]);
  }
  if (email.fromName) facts.push(['From name', email.fromName]);
  if (email.replyTo) facts.push(['Reply-To', email.replyTo]);
  facts.push(['Provider', email.transport ?? 'none (kept here)']);
  if (email.messageId) facts.push(['Message id', email.messageId]);
  facts.push(['Sent', email.sentAt ? formatTime(email.sentAt) : '—']);
  return facts;
}

function KindBody({ message }: { message: OutboxMessage }) {
  switch (message.kind) {
    case 'email':
      return <EmailBody html={message.html} text={message.text} />;
    case 'sms':
      return <TextBlock label="Message" text={message.body} />;
    case 'push':
      return <TextBlock label="Body" text={message.body} />;
    case 'notification':
      return (
        <>
          <TextBlock label="Message" text={message.message} />
          <JsonBlock label="Data" value={message.data} />
        </>
      );
  }
}

function TextBlock({ label, text }: { label: string; text: string }) {
  return (
    <figure className="min-w-0">
      <figcaption className={`mb-1 ${captionText}`}>
        {label}
      </figcaption>
      <p
        aria-label={label}
        className="rounded border border-slate-200 bg-slate-50 p-2 text-sm whitespace-pre-wrap"
      >
        {text}
      </p>
    </figure>
  );
}
