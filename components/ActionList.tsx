'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { filterRows, noFilters } from './actionFilters';
import { ActionListFilters } from './ActionListFilters';
import { ActionListRow } from './ActionListRow';
import { NewActionButton } from './NewActionButton';
import { productErrorOf } from './productError';
import { useTRPC } from './TrpcProvider';
import { captionText } from './styles';

const columns = ['Name', 'Active', 'Environment', 'Triggers', 'Schedule', 'State', 'Last run'];

/** The app's actions at a glance: state, schedule and last outcome, searchable and filterable. */
export function ActionList({ appId }: { appId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overview = useQuery(trpc.actions.overview.queryOptions({ appId }));
  const [filters, setFilters] = useState(noFilters);
  const setActive = useMutation(
    trpc.actions.update.mutationOptions({
      onSettled: () =>
        queryClient.invalidateQueries({ queryKey: trpc.actions.overview.queryKey() }),
    }),
  );
  const all = overview.data?.rows ?? [];
  const rows = filterRows(all, filters);

  return (
    <div className="grid gap-4">
      <header className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Actions</h1>
          <p className="text-sm text-slate-500">
            JavaScript that runs on demand, on a schedule or when app events happen.
          </p>
        </div>
        <NewActionButton appId={appId} takenNames={all.map((row) => row.action.name)} />
      </header>
      {overview.isPending ? <p className="text-slate-500">Loading actions…</p> : null}
      {overview.isError ? (
        <p role="alert" className="text-red-700">
          Could not load the actions: {productErrorOf(overview.error).message}
        </p>
      ) : null}
      {setActive.error ? (
        <p role="alert" className="text-sm text-red-700">
          Could not change the active switch: {productErrorOf(setActive.error).message}
        </p>
      ) : null}
      {overview.isSuccess && all.length === 0 ? (
        <p className="text-slate-500">No actions yet. Create one with “New action”.</p>
      ) : null}
      {all.length > 0 ? (
        <>
          <ActionListFilters
            filters={filters}
            onChange={setFilters}
            shown={rows.length}
            total={all.length}
          />
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Actions of app {appId}</caption>
              <thead className={`border-b border-slate-200 bg-slate-50 ${captionText}`}>
                <tr>
                  {columns.map((column) => (
                    <th key={column} scope="col" className="px-3 py-2">
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <ActionListRow
                    key={row.action.id}
                    appId={appId}
                    row={row}
                    busy={setActive.isPending && setActive.variables.id === row.action.id}
                    onActiveChange={(active) =>
                      setActive.mutate({ appId, id: row.action.id, data: { active } })
                    }
                  />
                ))}
              </tbody>
            </table>
            {rows.length === 0 ? (
              <p className="px-3 py-2 text-sm text-slate-500">No action matches the filters.</p>
            ) : null}
            {overview.data?.pagination.hasMore ? (
              <p className="border-t border-slate-200 px-3 py-2 text-sm text-slate-500">
                Showing the first {all.length} of {overview.data.pagination.total} actions.
              </p>
            ) : null}
          </div>
        </>
      ) : null}
    </div>
  );
}
