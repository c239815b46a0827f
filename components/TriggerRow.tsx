'use client';

import { useState } from 'react';

import {
  analyticsEventTypes,
  logEventGroups,
  triggerRefusal,
  type Environment,
} from '@/server/triggers/types';

import type { TriggerDraft } from './actionDraft';
import { inputClass } from './Field';
import { formatJson } from './formatters';
import { isRecord } from './isRecord';
import { parseJson } from './parseJson';

interface TriggerRowProps {
  index: number;
  trigger: TriggerDraft;
  environment: Environment;
  onChange: (trigger: TriggerDraft) => void;
  onRemove: () => void;
}

const summaries: Record<TriggerDraft['trigger'], string> = {
  manual: 'Runs when called with run() or runWithResult(), and from the test panel.',
  schedule: 'Runs on the frequency set under Schedule.',
  log: 'Runs when an app log event of this type is written.',
  analytics: 'Runs in the browser when an analytics event of this type is tracked.',
};

/** One trigger: what starts it, its event filter, and why it cannot run here if it cannot. */
export function TriggerRow({ index, trigger, environment, onChange, onRemove }: TriggerRowProps) {
  const refusal = triggerRefusal(trigger.trigger, environment);
  const number = index + 1;
  return (
    <li className="grid gap-2 rounded border border-slate-200 bg-slate-50 p-2">
      <div className="flex items-center justify-between gap-2">
        <span className="text-sm font-semibold capitalize">{trigger.trigger}</span>
        <button
          type="button"
          onClick={onRemove}
          aria-label={`Remove trigger ${number} (${trigger.trigger})`}
          className="rounded px-2 py-0.5 text-sm text-red-700 hover:bg-red-50"
        >
          Remove
        </button>
      </div>
      <p className="text-xs text-slate-600">{summaries[trigger.trigger]}</p>
      {refusal ? (
        <p className="text-xs font-medium text-red-700">Not allowed here: {refusal}.</p>
      ) : null}
      {trigger.trigger === 'log' ? (
        <LogFilter index={index} trigger={trigger} onChange={onChange} />
      ) : null}
      {trigger.trigger === 'analytics' ? (
        <AnalyticsFilter index={index} trigger={trigger} onChange={onChange} />
      ) : null}
    </li>
  );
}

interface FilterProps {
  index: number;
  trigger: TriggerDraft;
  onChange: (trigger: TriggerDraft) => void;
}

function whereOf(trigger: TriggerDraft): Record<string, unknown> {
  return trigger.where ?? {};
}

function withWhere(trigger: TriggerDraft, key: string, value: unknown): TriggerDraft {
  const where = { ...whereOf(trigger) };
  if (value === undefined) delete where[key];
  else where[key] = value;
  return { ...trigger, where };
}

function LogFilter({ index, trigger, onChange }: FilterProps) {
  const where = whereOf(trigger);
  const eventType = typeof where.type === 'string' ? where.type : '';
  const dataSourceId = typeof where.dataSourceId === 'number' ? String(where.dataSourceId) : '';
  const typeId = `trigger-${index}-log-type`;
  const sourceId = `trigger-${index}-data-source`;
  return (
    <div className="grid gap-2 sm:grid-cols-2">
      <div className="grid gap-1">
        <label htmlFor={typeId} className="text-xs font-medium">
          Log event type
        </label>
        <select
          id={typeId}
          value={eventType}
          onChange={(event) => onChange(withWhere(trigger, 'type', event.target.value))}
          className={inputClass(eventType === '')}
        >
          {eventType === '' ? <option value="">Choose an event type</option> : null}
          {Object.entries(logEventGroups).map(([group, types]) => (
            <optgroup key={group} label={group}>
              {types.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      {eventType.startsWith('dataSource.') ? (
        <div className="grid gap-1">
          <label htmlFor={sourceId} className="text-xs font-medium">
            Data source ID (optional)
          </label>
          <input
            id={sourceId}
            type="number"
            min={1}
            step={1}
            value={dataSourceId}
            onChange={(event) => {
              const value = event.target.value === '' ? undefined : Number(event.target.value);
              onChange(withWhere(trigger, 'dataSourceId', value));
            }}
            className={inputClass(false)}
          />
        </div>
      ) : null}
    </div>
  );
}

function AnalyticsFilter({ index, trigger, onChange }: FilterProps) {
  const where = whereOf(trigger);
  const eventType = typeof where.type === 'string' ? where.type : '';
  const typeId = `trigger-${index}-analytics-type`;
  const dataId = `trigger-${index}-analytics-data`;
  // The text is kept as typed; only a valid JSON object reaches the draft as `where.data`.
  const [dataText, setDataText] = useState(() => initialDataText(where.data));
  const invalid = dataText.trim() !== '' && objectFrom(dataText) === null;

  const onDataChange = (text: string) => {
    setDataText(text);
    // Invalid text is stored as is, so saving it fails with the server's message on this field
    // instead of silently keeping the previous filter.
    const data = text.trim() === '' ? undefined : (objectFrom(text) ?? text);
    onChange(withWhere(trigger, 'data', data));
  };

  return (
    <div className="grid gap-2">
      <div className="grid gap-1">
        <label htmlFor={typeId} className="text-xs font-medium">
          Analytics event type
        </label>
        <select
          id={typeId}
          value={eventType}
          onChange={(event) => onChange(withWhere(trigger, 'type', event.target.value))}
          className={inputClass(eventType === '')}
        >
          {eventType === '' ? <option value="">Choose an event type</option> : null}
          {analyticsEventTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      <div className="grid gap-1">
        <label htmlFor={dataId} className="text-xs font-medium">
          Event data filter (optional JSON object)
        </label>
        <textarea
          id={dataId}
          rows={2}
          value={dataText}
          placeholder='{ "_pageId": 77 }'
          onChange={(event) => onDataChange(event.target.value)}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${dataId}-error` : undefined}
          spellCheck={false}
          className={`${inputClass(invalid)} font-mono`}
        />
        {invalid ? (
          <p id={`${dataId}-error`} className="text-xs text-red-700">
            Write a JSON object, such as {'{ "_pageId": 77 }'}.
          </p>
        ) : null}
      </div>
    </div>
  );
}

function initialDataText(data: unknown): string {
  if (data === undefined) return '';
  return typeof data === 'string' ? data : formatJson(data);
}

/** The parsed text when it is a JSON object, otherwise null. */
function objectFrom(text: string): Record<string, unknown> | null {
  const parsed = parseJson(text);
  return parsed.ok && isRecord(parsed.value) ? parsed.value : null;
}
