'use client';

import { useQuery } from '@tanstack/react-query';

import { logEventGroups } from '@/server/triggers/types';

import { EventTypeSelect } from './EventTypeSelect';
import { inputClass } from './Field';
import { productErrorOf } from './productError';
import { useTRPC } from './TrpcProvider';
import { whereOf, withWhere, type TriggerFilterProps } from './triggerWhere';

/** Event type by group, and for data source events the app's data source to listen to. */
export function LogTriggerFilter(props: TriggerFilterProps & { appId: number }) {
  const { index, trigger, onChange } = props;
  const where = whereOf(trigger);
  const eventType = typeof where.type === 'string' ? where.type : '';
  const typeId = `trigger-${index}-log-type`;
  return (
    <div className="grid gap-2 sm:grid-cols-2">
      <EventTypeSelect
        id={typeId}
        label="Log event type"
        value={eventType}
        trigger={trigger}
        onChange={onChange}
      >
        {Object.entries(logEventGroups).map(([group, types]) => (
          <optgroup key={group} label={group}>
            {types.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </optgroup>
        ))}
      </EventTypeSelect>
      {eventType.startsWith('dataSource.') ? (
        <DataSourceSelect {...props} />
      ) : null}
    </div>
  );
}

function DataSourceSelect(props: TriggerFilterProps & { appId: number }) {
  const { appId, index, trigger, onChange } = props;
  const trpc = useTRPC();
  const sources = useQuery(trpc.dataSources.list.queryOptions({ appId }));
  const selected = whereOf(trigger).dataSourceId;
  const selectedId = typeof selected === 'number' ? selected : null;
  const known = sources.data?.some((source) => source.id === selectedId) ?? true;
  const id = `trigger-${index}-data-source`;
  return (
    <div className="grid gap-1">
      <label htmlFor={id} className="text-xs font-medium">
        Data source
      </label>
      <select
        id={id}
        value={selectedId === null ? '' : String(selectedId)}
        onChange={(event) => {
          const value = event.target.value === '' ? undefined : Number(event.target.value);
          onChange(withWhere(trigger, 'dataSourceId', value));
        }}
        aria-describedby={sources.isError ? `${id}-error` : undefined}
        className={inputClass(!known)}
      >
        <option value="">Any data source</option>
        {sources.data?.map((source) => (
          <option key={source.id} value={source.id}>
            {source.name} (#{source.id})
          </option>
        ))}
        {/* A filter on a data source that is gone (or loading) must still show what it holds. */}
        {selectedId !== null && !sources.data?.some((s) => s.id === selectedId) ? (
          <option value={selectedId}>
            #{selectedId}
            {sources.isSuccess ? ' (not in this app)' : ''}
          </option>
        ) : null}
      </select>
      {sources.isError ? (
        <p id={`${id}-error`} className="text-xs text-red-700">
          Could not load the data sources: {productErrorOf(sources.error).message}
        </p>
      ) : null}
    </div>
  );
}
