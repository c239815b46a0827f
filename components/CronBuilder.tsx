'use client';

import { useMemo, useState } from 'react';

import { CronFieldInputs } from './CronFieldInputs';
import { CronPresetControls } from './CronPresetControls';
import {
  detectPreset,
  presetExpression,
  presetKinds,
  presetLabels,
  type PresetKind,
  type PresetParts,
} from './cronPresets';
import { FieldError, inputClass } from './Field';
import { NextRuns } from './NextRuns';
import { schedulePreview, type SchedulePreviewResult } from './schedulePreview';
import { TimezonePicker } from './TimezonePicker';
import { useNow } from './useNow';

export interface SchedulePatch {
  frequency?: string;
  timezone?: string;
}

interface CronBuilderProps {
  frequency: string;
  timezone: string;
  onChange: (patch: SchedulePatch) => void;
  /** Save errors from the server for these fields. */
  frequencyError: string | null;
  timezoneError: string | null;
  /** Something about the schedule as a whole, e.g. that no schedule trigger uses it. */
  note: string | null;
}

/**
 * Presets, the five fields and the raw expression, all views of the one frequency text, so
 * each edit shows in the others at once. Description, refusals and next runs come from the
 * server's cron module (schedulePreview), so what the builder shows is what will run.
 */
export function CronBuilder(props: CronBuilderProps) {
  const { frequency, timezone, onChange } = props;
  const now = useNow();
  const preview = useMemo(
    () => schedulePreview(frequency, timezone, now),
    [frequency, timezone, now],
  );
  const detected = detectPreset(frequency);
  // "Custom" is a way of editing too: a daily expression may be edited field by field.
  const [forceCustom, setForceCustom] = useState(false);
  const kind: PresetKind = forceCustom && detected.kind !== 'none' ? 'custom' : detected.kind;

  const pickPreset = (next: PresetKind) => {
    setForceCustom(next === 'custom');
    const expression = presetExpression(next, detected.parts);
    if (expression !== null) onChange({ frequency: expression });
    // Custom from nothing starts from an everyday example rather than an empty text.
    else if (frequency.trim() === '') onChange({ frequency: '0 8 * * *' });
  };
  const setParts = (parts: PresetParts) => {
    const expression = presetExpression(kind, parts);
    if (expression !== null) onChange({ frequency: expression });
  };

  return (
    <fieldset className="grid min-w-0 gap-3 rounded border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold">Schedule</legend>
      {props.note ? <p className="text-xs text-slate-600">{props.note}</p> : null}
      <div className="grid gap-1">
        <label htmlFor="cron-preset" className="text-sm font-medium text-slate-800">
          Repeat
        </label>
        <select
          id="cron-preset"
          value={kind}
          onChange={(event) => {
            const next = presetKinds.find((k) => k === event.target.value);
            if (next) pickPreset(next);
          }}
          className={inputClass(false)}
        >
          {presetKinds.map((option) => (
            <option key={option} value={option}>
              {presetLabels[option]}
            </option>
          ))}
        </select>
      </div>
      <CronPresetControls kind={kind} parts={detected.parts} onChange={setParts} />
      {kind !== 'none' ? (
        <>
          <CronFieldInputs
            frequency={frequency}
            onChange={(next) => onChange({ frequency: next })}
            describedBy="cron-status"
          />
          <RawExpression {...props} />
        </>
      ) : null}
      <ScheduleStatus preview={preview} empty={frequency.trim() === ''} />
      <div className="grid gap-1">
        <label htmlFor="action-timezone" className="text-sm font-medium text-slate-800">
          Timezone
        </label>
        <TimezonePicker
          id="action-timezone"
          value={timezone}
          onChange={(zone) => onChange({ timezone: zone })}
          describedBy="action-timezone-hint"
          invalid={Boolean(preview.timezoneError || props.timezoneError)}
        />
        <p id="action-timezone-hint" className="text-xs text-slate-500">
          {preview.timezoneError ?? 'IANA name; empty uses the server default.'}
        </p>
        <FieldError id="action-timezone-error" message={props.timezoneError} />
      </div>
      <NextRuns preview={preview} />
    </fieldset>
  );
}

function RawExpression({ frequency, onChange, frequencyError }: CronBuilderProps) {
  return (
    <div className="grid gap-1">
      <label htmlFor="action-frequency" className="text-sm font-medium text-slate-800">
        Cron expression
      </label>
      <input
        id="action-frequency"
        type="text"
        value={frequency}
        placeholder="0 8 * * 1"
        onChange={(event) => onChange({ frequency: event.target.value })}
        aria-describedby={`cron-status${frequencyError ? ' action-frequency-error' : ''}`}
        aria-invalid={Boolean(frequencyError)}
        autoComplete="off"
        spellCheck={false}
        className={`${inputClass(Boolean(frequencyError))} font-mono`}
      />
      <FieldError id="action-frequency-error" message={frequencyError} />
    </div>
  );
}

/** The description, or the validator's reason for refusing the expression. */
function ScheduleStatus({ preview, empty }: { preview: SchedulePreviewResult; empty: boolean }) {
  const error = preview.frequencyError;
  return (
    <p
      id="cron-status"
      role="status"
      className={`text-sm ${error ? 'text-red-700' : 'text-slate-700'}`}
    >
      {empty
        ? 'No schedule: the action runs only when something else starts it.'
        : error
          ? `Not accepted (${error.status}): ${error.message}`
          : preview.description}
    </p>
  );
}
