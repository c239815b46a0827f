'use client';

import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useId, useMemo } from 'react';

import { productErrorOf } from '../productError';
import { useTRPC } from '../TrpcProvider';
import { MessageDetail } from './MessageDetail';
import { OutboxTable } from './OutboxTable';
import {
  kindLabels,
  outboxKindList,
  outboxViewToSearch,
  parseOutboxView,
  type OutboxOverview,
  type OutboxView,
} from './outboxView';
import { TabList, tabIds } from './TabList';

/**
 * The Outbox page: what the app's actions sent, one tab per kind, and one message in a
 * dialog. The view lives in the query string, so a link opens the same message.
 */
export function Outbox({ appId }: { appId: number }) {
  const trpc = useTRPC();
  const idPrefix = useId();
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const view = useMemo(() => parseOutboxView(params), [params]);
  const overview = useQuery(trpc.outbox.overview.queryOptions({ appId }));

  const show = (next: OutboxView, history: 'push' | 'replace') => {
    const search = outboxViewToSearch(next);
    const href = search ? `${pathname}?${search}` : pathname;
    if (history === 'push') router.push(href, { scroll: false });
    else router.replace(href, { scroll: false });
  };
  const counts = overview.data?.counts;
  const tabs = outboxKindList.map((kind) => ({
    key: kind,
    label: counts ? `${kindLabels[kind].tab} (${counts[kind]})` : kindLabels[kind].tab,
  }));
  const ids = tabIds(idPrefix, view.kind);

  return (
    <section aria-labelledby={`${idPrefix}-heading`} className="grid gap-3">
      <header className="grid gap-1">
        <h1 id={`${idPrefix}-heading`} className="text-xl font-semibold">
          Outbox
        </h1>
        <p className="text-sm text-slate-600">
          Every email, text message, push and in-app notification this app’s actions sent,
          newest first, whether a provider delivered it or not.
        </p>
        {overview.data ? <Channels overview={overview.data} /> : null}
        {overview.isError ? (
          <p role="alert" className="text-sm text-red-700">
            {productErrorOf(overview.error).message}
          </p>
        ) : null}
      </header>
      <TabList
        label="Kinds of message"
        idPrefix={idPrefix}
        items={tabs}
        selected={view.kind}
        onSelect={(kind) => show({ kind }, 'push')}
      />
      <div id={ids.panel} role="tabpanel" aria-labelledby={ids.tab}>
        <OutboxTable
          key={view.kind}
          appId={appId}
          kind={view.kind}
          overview={overview.data}
          onOpen={(message) => show({ ...view, message }, 'replace')}
        />
      </div>
      {view.message === undefined ? null : (
        <MessageDetail
          appId={appId}
          kind={view.kind}
          id={view.message}
          onClose={() => show({ kind: view.kind }, 'replace')}
        />
      )}
    </section>
  );
}

/** Where each channel's messages go on this server, so "stored" never reads as a failure. */
function Channels({ overview }: { overview: OutboxOverview }) {
  const { transports } = overview;
  const kept = 'kept here, not delivered';
  return (
    <>
      <ul aria-label="Delivery on this server" className="flex flex-wrap gap-x-4 text-xs">
        <li>
          Email:{' '}
          {transports.email
            ? `sent through ${transports.email.toUpperCase()}`
            : `${kept} (SMTP_URL is not set)`}
        </li>
        <li>SMS: {transports.sms ? `sent through ${transports.sms}` : `${kept} (no provider)`}</li>
        <li>
          Push: {transports.push ? `sent through ${transports.push}` : `${kept} (no provider)`}
        </li>
      </ul>
      {overview.settingsValid ? null : (
        <p role="alert" className="text-sm text-red-700">
          The server’s email settings are invalid (check SMTP_URL and SMTP_FROM), so sending
          email fails until they are fixed.
        </p>
      )}
    </>
  );
}
