'use client';

import { useState } from 'react';

import { previewScreens } from '@/server/sdk/runtime/preview-screens';
import { analyticsEventTypes } from '@/server/triggers/types';

import { DataFilterRows } from './DataFilterRows';
import { EventTypeSelect } from './EventTypeSelect';
import { inputClass } from './Field';
import { isRecord } from './isRecord';
import { whereOf, withWhere, type TriggerFilterProps } from './triggerWhere';

/** The screen filter has its own field; other event data filters are key/value rows. */
const SCREEN_KEY = '_pageId';

/** Event type, an optional screen id and optional filters on the event's data fields. */
export function AnalyticsTriggerFilter({ index, trigger, onChange }: TriggerFilterProps) {
  const where = whereOf(trigger);
  const eventType = typeof where.type === 'string' ? where.type : '';
  const data = isRecord(where.data) ? where.data : {};
  const typeId = `trigger-${index}-analytics-type`;

  // Every filter lives in where.data; an empty filter is left out rather than stored as {}.
  const setData = (next: Record<string, unknown>) =>
    onChange(withWhere(trigger, 'data', Object.keys(next).length > 0 ? next : undefined));
  const { [SCREEN_KEY]: screen, ...others } = data;

  return (
    <div className="grid gap-2">
      <div className="grid gap-2 sm:grid-cols-2">
        <EventTypeSelect
          id={typeId}
          label="Analytics event type"
          value={eventType}
          trigger={trigger}
          onChange={onChange}
        >
          {analyticsEventTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </EventTypeSelect>
        <ScreenIdInput
          id={`trigger-${index}-screen`}
          value={typeof screen === 'number' ? screen : null}
          onChange={(id) => setData(id === null ? others : { ...others, [SCREEN_KEY]: id })}
        />
      </div>
      <DataFilterRows
        idPrefix={`trigger-${index}-data`}
        initial={others}
        onChange={(rows) =>
          setData(typeof screen === 'number' ? { ...rows, [SCREEN_KEY]: screen } : rows)
        }
      />
    </div>
  );
}

interface ScreenIdInputProps {
  id: string;
  value: number | null;
  onChange: (id: number | null) => void;
}

/** The screen (`_pageId`) the event must come from; empty matches every screen. */
function ScreenIdInput({ id, value, onChange }: ScreenIdInputProps) {
  const [text, setText] = useState(value === null ? '' : String(value));
  const invalid = text.trim() !== '' && !/^\d+$/.test(text.trim());
  return (
    <div className="grid gap-1">
      <label htmlFor={id} className="text-xs font-medium">
        Screen ID (optional)
      </label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        value={text}
        placeholder="Any screen"
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          if (next.trim() === '') onChange(null);
          else if (/^\d+$/.test(next.trim())) onChange(Number(next));
        }}
        aria-invalid={invalid}
        aria-describedby={`${id}-hint`}
        className={inputClass(invalid)}
      />
      <p id={`${id}-hint`} className={`text-xs ${invalid ? 'text-red-700' : 'text-slate-500'}`}>
        {invalid ? 'A screen ID is a whole number.' : 'Matches the event’s _pageId.'}
      </p>
      <select
        aria-label="Use a screen of the preview app"
        value=""
        onChange={(event) => {
          if (event.target.value === '') return;
          setText(event.target.value);
          onChange(Number(event.target.value));
        }}
        className={inputClass(false)}
      >
        <option value="">Screens of the preview app…</option>
        {previewScreens.map((screen) => (
          <option key={screen.id} value={screen.id}>
            {screen.title} (#{screen.id})
          </option>
        ))}
      </select>
    </div>
  );
}
