'use client';

import type { PresetKind, PresetParts } from './cronPresets';
import { weekdayNames, weekdayOrder } from './cronPresets';
import { inputClass } from './Field';
import { NumberInput } from './NumberInput';

interface CronPresetControlsProps {
  kind: PresetKind;
  parts: PresetParts;
  onChange: (parts: PresetParts) => void;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** The inputs a preset needs: a minute, a time, weekdays or a day of the month. */
export function CronPresetControls({ kind, parts, onChange }: CronPresetControlsProps) {
  if (kind === 'none' || kind === 'custom') return null;
  if (kind === 'hourly') {
    return (
      <div className="grid gap-1">
        <label htmlFor="cron-minute" className="text-sm font-medium text-slate-800">
          Minute past the hour
        </label>
        <NumberInput
          id="cron-minute"
          value={parts.minute}
          min={0}
          max={59}
          onChange={(minute) => onChange({ ...parts, minute })}
          className="w-24"
        />
      </div>
    );
  }
  return (
    <div className="grid gap-2">
      {kind === 'weekly' ? <WeekdayChoice parts={parts} onChange={onChange} /> : null}
      {kind === 'monthly' ? (
        <div className="grid gap-1">
          <label htmlFor="cron-day" className="text-sm font-medium text-slate-800">
            Day of the month
          </label>
          <NumberInput
            id="cron-day"
            value={parts.dayOfMonth}
            min={1}
            max={31}
            onChange={(dayOfMonth) => onChange({ ...parts, dayOfMonth })}
            describedBy={parts.dayOfMonth > 28 ? 'cron-day-hint' : undefined}
            className="w-24"
          />
          {parts.dayOfMonth > 28 ? (
            <p id="cron-day-hint" className="text-xs text-amber-700">
              Months without day {parts.dayOfMonth} are skipped.
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="grid gap-1">
        <label htmlFor="cron-time" className="text-sm font-medium text-slate-800">
          Time
        </label>
        <input
          id="cron-time"
          type="time"
          step={60}
          value={`${pad(parts.hour)}:${pad(parts.minute)}`}
          onChange={(event) => {
            const match = /^(\d{2}):(\d{2})/.exec(event.target.value);
            if (match) onChange({ ...parts, hour: Number(match[1]), minute: Number(match[2]) });
          }}
          className={`${inputClass(false)} w-32`}
        />
      </div>
    </div>
  );
}

function WeekdayChoice({ parts, onChange }: Omit<CronPresetControlsProps, 'kind'>) {
  const toggle = (day: number, checked: boolean) => {
    const days = checked ? [...parts.weekdays, day] : parts.weekdays.filter((d) => d !== day);
    // The last day cannot be unticked: a weekly schedule runs on at least one day.
    if (days.length > 0) onChange({ ...parts, weekdays: days });
  };
  return (
    <fieldset className="grid gap-1">
      <legend className="text-sm font-medium text-slate-800">Days</legend>
      <div className="flex flex-wrap gap-x-3 gap-y-1">
        {weekdayOrder.map((day) => {
          const name = weekdayNames[day];
          const checked = parts.weekdays.includes(day);
          return (
            <label key={day} className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                checked={checked}
                onChange={(event) => toggle(day, event.target.checked)}
                aria-label={name}
                className="h-4 w-4 accent-indigo-600"
              />
              <span aria-hidden="true">{name.slice(0, 3)}</span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
