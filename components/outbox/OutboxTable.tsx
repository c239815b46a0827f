'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { formatTime } from '../formatters';
import { OlderPageButton } from '../OlderPageButton';
import { productErrorOf } from '../productError';
import { captionText, linkButton } from '../styles';
import { useTRPC } from '../TrpcProvider';
import { MessageStatus } from './MessageStatus';
import { OutboxEmptyState } from './OutboxEmptyState';
import {
  formatRecipient,
  kindLabels,
  type OutboxKind,
  type OutboxOverview,
  type OutboxSummary,
} from './outboxView';
import { SentByLinks } from './SentByLinks';

const PAGE_SIZE = 25;

interface OutboxTableProps {
  appId: number;
  kind: OutboxKind;
  overview: OutboxOverview | undefined;
  onOpen: (id: number) => void;
}

/** One kind of message, newest first; "Older messages" loads the next keyset page. */
export function OutboxTable({ appId, kind, overview, onOpen }: OutboxTableProps) {
  const trpc = useTRPC();
  const pages = useInfiniteQuery(
    trpc.outbox.list.infiniteQueryOptions(
      { appId, kind, limit: PAGE_SIZE },
      { initialCursor: undefined, getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];

  if (pages.isPending) return <p className="text-sm text-slate-500">Loading messages…</p>;
  if (pages.isError) {
    return (
      <p role="alert" className="text-sm text-red-700">
        {productErrorOf(pages.error).message}
      </p>
    );
  }
  if (items.length === 0) return <OutboxEmptyState kind={kind} overview={overview} />;

  const columns = headings[kind];
  return (
    <div className="grid gap-2">
      <div className="overflow-x-auto">
        <table
          className="w-full border-collapse text-left text-sm"
          aria-label={`${kindLabels[kind].tab} sent by this app’s actions`}
        >
          <thead>
            <tr className={captionText}>
              <th className="py-1 pr-3">When</th>
              <th className="py-1 pr-3">{columns.who}</th>
              <th className="py-1 pr-3">{columns.what}</th>
              <th className="py-1 pr-3">Status</th>
              <th className="py-1">Sent by</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr
                key={item.id}
                data-message-id={item.id}
                className="border-t border-slate-200 align-top"
              >
                <td className="py-2 pr-3 whitespace-nowrap text-slate-600">
                  <time dateTime={item.createdAt}>{formatTime(item.createdAt)}</time>
                </td>
                <td className="max-w-64 py-2 pr-3 break-words">{whoOf(item)}</td>
                <td className="max-w-xl py-2 pr-3">
                  <button
                    type="button"
                    aria-haspopup="dialog"
                    className={`${linkButton} line-clamp-2 text-left font-medium`}
                    onClick={() => onOpen(item.id)}
                  >
                    {titleOf(item)}
                  </button>
                  {previewOf(item)}
                </td>
                <td className="py-2 pr-3">
                  <MessageStatus message={item} />
                </td>
                <td className="py-2">
                  <SentByLinks appId={appId} sentBy={item.sentBy} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <OlderPageButton pages={pages} label="Older messages" />
    </div>
  );
}

const headings: Record<OutboxKind, { who: string; what: string }> = {
  email: { who: 'Recipients', what: 'Subject' },
  sms: { who: 'To', what: 'Message' },
  push: { who: 'Devices', what: 'Title and body' },
  notification: { who: 'Push', what: 'Title and message' },
};

function whoOf(item: OutboxSummary): ReactNode {
  switch (item.kind) {
    case 'email':
      return item.to.map((recipient) => (
        <span key={`${recipient.type}:${recipient.email}`} className="block">
          {recipient.type === 'to' ? null : (
            <span className="text-slate-500">{recipient.type}: </span>
          )}
          {formatRecipient(recipient)}
        </span>
      ));
    case 'sms':
      return item.to;
    case 'push':
      return item.sandbox ? 'Test devices' : 'All devices';
    case 'notification':
      return item.pushStatus ?? 'none';
  }
}

/** The text of the button that opens the message. */
function titleOf(item: OutboxSummary): string {
  switch (item.kind) {
    case 'email':
      return item.subject;
    case 'sms':
      return item.body;
    case 'push':
      return item.title ?? item.body;
    case 'notification':
      return item.title ?? item.message;
  }
}

function previewOf(item: OutboxSummary): ReactNode {
  const text =
    item.kind === 'email'
      ? item.preview
      : item.kind === 'push' && item.title !== null
        ? item.body
        : item.kind === 'notification' && item.title !== null
          ? item.message
          : null;
  return text ? <span className="block truncate text-xs text-slate-500">{text}</span> : null;
}
