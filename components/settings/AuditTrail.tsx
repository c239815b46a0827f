'use client';

import { useInfiniteQuery } from '@tanstack/react-query';

import { formatTime } from '../formatters';
import { OlderPageButton } from '../OlderPageButton';
import { productErrorOf } from '../productError';
import { captionText } from '../styles';
import { useTRPC } from '../TrpcProvider';
import { NotAdmin } from './NotAdmin';
import { useAdminOrganization } from './useAdminOrganization';

/** Settings → Audit trail: who changed what, newest first. */
export function AuditTrail({ organizationId }: { organizationId: number | null }) {
  const { pending, current, apps } = useAdminOrganization(organizationId);
  if (!current) return <NotAdmin pending={pending} />;
  const appName = (id: number | null) =>
    id === null ? '—' : (apps.find((app) => app.id === id)?.name ?? `App ${id}`);
  return <Events organizationId={current.id} appName={appName} />;
}

function Events(props: { organizationId: number; appName: (id: number | null) => string }) {
  const trpc = useTRPC();
  const pages = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { organizationId: props.organizationId, limit: 50 },
      {
        initialCursor: undefined,
        getNextPageParam: (page) => page.nextCursor ?? undefined,
      },
    ),
  );
  const events = pages.data?.pages.flatMap((page) => page.events) ?? [];

  return (
    <section aria-labelledby="audit-heading" className="grid gap-2">
      <h2 id="audit-heading" className="text-lg font-semibold">
        Audit trail
      </h2>
      {pages.isError ? (
        <p role="alert" className="text-red-700">
          {productErrorOf(pages.error).message}
        </p>
      ) : null}
      {pages.isSuccess && events.length === 0 ? (
        <p className="text-slate-500">Nothing has been changed yet.</p>
      ) : null}
      <table className="w-full border-collapse text-left text-sm" aria-label="Audit events">
        <thead>
          <tr className={captionText}>
            <th className="py-1">When</th>
            <th className="py-1">Who</th>
            <th className="py-1">What</th>
            <th className="py-1">App</th>
            <th className="py-1">Target</th>
            <th className="py-1">Detail</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id} className="border-t border-slate-200 align-top">
              <td className="py-2 whitespace-nowrap">{formatTime(event.at)}</td>
              <td className="py-2">
                {event.actor.label}
                {event.actor.type === 'token' ? (
                  <span className="text-xs text-slate-500"> (API token)</span>
                ) : null}
              </td>
              <td className="py-2 font-mono text-xs">{event.action}</td>
              <td className="py-2">{props.appName(event.appId)}</td>
              <td className="py-2">{event.targetId ?? '—'}</td>
              <td className="py-2 font-mono text-xs">
                {Object.keys(event.detail).length > 0 ? JSON.stringify(event.detail) : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <OlderPageButton pages={pages} label="Older events" />
    </section>
  );
}
