'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';

import { useCan, useMe } from '../auth/useCan';
import { ConfirmDialog } from '../ConfirmDialog';
import { productErrorOf } from '../productError';
import { primaryButton, secondaryButton } from '../styles';
import { useTRPC } from '../TrpcProvider';
import { EntryDialog } from './EntryDialog';
import { columnsOf, type EntryData } from './entryForm';
import { EntryTable, type BrowserEntry } from './EntryTable';

const PAGE_SIZE = 25;

type Editing = { entryId: number | null; data: EntryData } | null;

/**
 * The app's data sources and their entries, a page at a time. The chosen data source and page
 * live in the query string (`?source=…&offset=…`), so a reload shows the same rows.
 */
export function DataBrowser({ appId }: { appId: number }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const sources = useQuery(trpc.dataSources.list.queryOptions({ appId }));
  const chosen = Number(params.get('source'));
  const sourceId =
    sources.data?.find((s) => s.id === chosen)?.id ?? sources.data?.[0]?.id ?? null;
  const offset = Math.max(0, Math.floor(Number(params.get('offset')) || 0));

  return (
    <div className="grid gap-4">
      <header>
        <h1 className="text-xl font-semibold">Data</h1>
        <p className="text-sm text-slate-500">
          The app&apos;s data sources: what actions read and change with Fliplet.DataSources.
        </p>
      </header>
      {sources.isPending ? <p className="text-slate-500">Loading data sources…</p> : null}
      {sources.isError ? (
        <p role="alert" className="text-red-700">
          Could not load the data sources: {productErrorOf(sources.error).message}
        </p>
      ) : null}
      {sources.isSuccess && sources.data.length === 0 ? (
        <p className="text-slate-500">
          This app has no data sources yet. Actions create them with
          Fliplet.DataSources.create; app code with POST /v3/apps/{appId}/data-sources.
        </p>
      ) : null}
      {sources.data && sourceId !== null ? (
        <div className="grid gap-4 md:grid-cols-[12rem_1fr]">
          <SourceList sources={sources.data} current={sourceId} />
          <SourceEntries key={sourceId} appId={appId} sourceId={sourceId} offset={offset} />
        </div>
      ) : null}
    </div>
  );
}

function SourceList(props: { sources: { id: number; name: string }[]; current: number }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Data sources">
      <ul className="grid gap-1 text-sm">
        {props.sources.map((source) => {
          const current = source.id === props.current;
          return (
            <li key={source.id}>
              <Link
                href={`${pathname}?source=${source.id}`}
                aria-current={current ? 'page' : undefined}
                className={
                  current
                    ? 'block rounded bg-indigo-50 px-2 py-1 font-semibold text-indigo-700'
                    : 'block rounded px-2 py-1 text-slate-700 hover:bg-slate-100'
                }
              >
                {source.name}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function SourceEntries(props: { appId: number; sourceId: number; offset: number }) {
  const { appId, sourceId, offset } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const me = useMe();
  const canEdit = useCan('edit', appId);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<BrowserEntry | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const input = { appId, dataSourceId: sourceId, limit: PAGE_SIZE, offset };
  const page = useQuery(trpc.dataSources.entries.queryOptions(input));
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.dataSources.entries.queryKey() });
  const done = (message: string) => {
    setNotice(message);
    void refresh();
  };

  const create = useMutation(
    trpc.dataSources.createEntry.mutationOptions({
      onSuccess: (entry) => {
        setEditing(null);
        done(`Added entry #${entry.id}.`);
      },
    }),
  );
  const update = useMutation(
    trpc.dataSources.updateEntry.mutationOptions({
      onSuccess: (entry) => {
        setEditing(null);
        done(`Saved entry #${entry.id}.`);
      },
    }),
  );
  const remove = useMutation(
    trpc.dataSources.removeEntry.mutationOptions({
      onSuccess: ({ removed }) => {
        setDeleting(null);
        done(`Deleted entry #${removed}.`);
      },
    }),
  );
  const saving = editing?.entryId === null ? create : update;

  const goTo = (nextOffset: number) => {
    const query = nextOffset > 0 ? `&offset=${nextOffset}` : '';
    router.push(`${pathname}?source=${sourceId}${query}`, { scroll: false });
  };

  const source = page.data?.dataSource;
  const entries = page.data?.entries ?? [];
  const columns = columnsOf(source?.columns ?? [], entries.map((e) => e.data));
  const total = page.data?.pagination.total ?? 0;

  return (
    <section aria-label={`Data source ${source?.name ?? sourceId}`} className="grid gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">{source?.name ?? 'Entries'}</h2>
        {canEdit && source ? (
          <button
            type="button"
            className={primaryButton}
            onClick={() => {
              create.reset();
              setEditing({ entryId: null, data: {} });
            }}
          >
            New entry
          </button>
        ) : null}
      </div>
      {me.data && !canEdit ? (
        <p className="text-sm text-slate-500">
          You can read this data. Changing it needs the builder or admin role.
        </p>
      ) : null}
      <p role="status" className="text-sm text-emerald-700">
        {notice}
      </p>
      {page.isPending ? <p className="text-slate-500">Loading entries…</p> : null}
      {page.isError ? (
        <p role="alert" className="text-red-700">
          Could not load the entries: {productErrorOf(page.error).message}
        </p>
      ) : null}
      {page.isSuccess && entries.length === 0 ? (
        <p className="text-slate-500">
          {total === 0 ? 'No entries yet.' : 'No entries on this page.'}
        </p>
      ) : null}
      {source && entries.length > 0 ? (
        <EntryTable
          sourceName={source.name}
          columns={columns}
          entries={entries}
          onEdit={
            canEdit
              ? (entry) => {
                  update.reset();
                  setEditing({ entryId: entry.id, data: entry.data });
                }
              : null
          }
          onDelete={
            canEdit
              ? (entry) => {
                  remove.reset();
                  setDeleting(entry);
                }
              : null
          }
        />
      ) : null}
      {page.isSuccess && total > 0 ? (
        <Pager offset={offset} shown={entries.length} total={total} onGo={goTo} />
      ) : null}
      {editing ? (
        <EntryDialog
          entryId={editing.entryId}
          columns={columns}
          data={editing.data}
          busy={saving.isPending}
          error={saving.error ? productErrorOf(saving.error).message : null}
          onClose={() => setEditing(null)}
          onSave={(data) => {
            if (editing.entryId === null) {
              create.mutate({ appId, dataSourceId: sourceId, data });
            } else {
              update.mutate({ appId, dataSourceId: sourceId, entryId: editing.entryId, data });
            }
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete entry #${deleting.id}?`}
          confirmLabel="Delete entry"
          tone="danger"
          busy={remove.isPending}
          error={remove.error ? productErrorOf(remove.error).message : null}
          onCancel={() => setDeleting(null)}
          onConfirm={() =>
            remove.mutate({ appId, dataSourceId: sourceId, entryId: deleting.id })
          }
        >
          <p className="text-sm">
            The entry is removed from {source?.name ?? 'the data source'} and a
            dataSource.entry.delete event is logged, which can start log-triggered actions.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface PagerProps {
  offset: number;
  shown: number;
  total: number;
  onGo: (offset: number) => void;
}

function Pager({ offset, shown, total, onGo }: PagerProps) {
  const first = shown > 0 ? offset + 1 : 0;
  return (
    <nav aria-label="Pages of entries" className="flex flex-wrap items-center justify-end gap-2">
      <p className="text-sm text-slate-500">
        {first}–{offset + shown} of {total}
      </p>
      <button
        type="button"
        className={secondaryButton}
        disabled={offset === 0}
        onClick={() => onGo(Math.max(0, offset - PAGE_SIZE))}
      >
        ← Previous
      </button>
      <button
        type="button"
        className={secondaryButton}
        disabled={offset + shown >= total}
        onClick={() => onGo(offset + PAGE_SIZE)}
      >
        Next →
      </button>
    </nav>
  );
}
