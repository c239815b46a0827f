'use client';

import Link from 'next/link';

import type { ActionOverviewRow } from './apiTypes';
import { formatTime } from './formatters';
import { PublishStateBadge } from './PublishStateBadge';
import { RunStatusBadge } from './RunStatusBadge';
import { useCan } from './auth/useCan';
import { Switch } from './Switch';
import { scheduleInWords, triggerSummary } from './triggerSummary';

interface ActionListRowProps {
  appId: number;
  row: ActionOverviewRow;
  onActiveChange: (active: boolean) => void;
  /** The switch waits while its own change is being saved. */
  busy: boolean;
}

const runStatus = (type: string) =>
  type === 'app.task.completed' ? 'completed' : type === 'app.task.failed' ? 'failed' : 'other';

/** One action: name, active switch, environment, triggers, schedule, state and last run. */
export function ActionListRow({ appId, row, onActiveChange, busy }: ActionListRowProps) {
  const { action, state, lastRun } = row;
  const canEdit = useCan('edit', appId);
  const schedule = action.triggers.some((t) => t.trigger === 'schedule')
    ? scheduleInWords(action.frequency)
    : null;
  return (
    <tr className="border-b border-slate-100 align-top last:border-b-0">
      <th scope="row" className="px-3 py-2 text-left font-normal">
        <Link
          href={`/apps/${appId}/actions/${action.id}`}
          className="font-medium text-indigo-700 hover:underline"
        >
          {action.name}
        </Link>
      </th>
      <td className="px-3 py-2">
        <Switch
          checked={action.active}
          onChange={onActiveChange}
          label={`Active: ${action.name}`}
          hiddenLabel
          disabled={busy || !canEdit}
        />
      </td>
      <td className="px-3 py-2">{action.environment}</td>
      <td className="px-3 py-2">
        {action.triggers.length === 0 ? (
          <span className="text-slate-400">none</span>
        ) : (
          <ul className="flex flex-wrap gap-1">
            {action.triggers.map((trigger, index) => (
              <li key={index} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
                {triggerSummary(trigger, null)}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="px-3 py-2 text-slate-700">
        {schedule ? (
          <span title={`${action.frequency ?? ''} (${action.timezone ?? 'server default zone'})`}>
            {schedule}
            {action.timezone ? <span className="text-slate-500"> · {action.timezone}</span> : null}
          </span>
        ) : (
          <span className="text-slate-400">—</span>
        )}
      </td>
      <td className="px-3 py-2">
        <PublishStateBadge state={state} />
      </td>
      <td className="px-3 py-2 text-slate-600">
        {lastRun ? (
          <span className="flex flex-wrap items-center gap-2">
            <RunStatusBadge status={runStatus(lastRun.type)} type={lastRun.type} />
            <time dateTime={lastRun.at}>{formatTime(lastRun.at)}</time>
          </span>
        ) : (
          'never'
        )}
      </td>
    </tr>
  );
}
