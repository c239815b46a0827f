'use client';

import { environments, type Environment } from '@/server/triggers/types';

import type { ActionDraft, ActionField } from './actionDraft';
import { Field, FieldError, inputClass } from './Field';

const environmentLabels: Record<Environment, string> = {
  server: 'Server: runs in the platform sandbox',
  client: 'Client: runs in the user’s browser',
  any: 'Any: server or browser',
};

interface ActionSettingsProps {
  draft: ActionDraft;
  onChange: (patch: Partial<ActionDraft>) => void;
  errorFor: (field: ActionField) => string | null;
}

/** Name, active switch, environment and schedule of the action being edited. */
export function ActionSettings({ draft, onChange, errorFor }: ActionSettingsProps) {
  return (
    <div className="grid gap-4">
      <Field
        id="action-name"
        label="Name"
        hint="Letters, numbers, dashes and underscores; unique in the app."
        error={errorFor('name')}
      >
        {(describedBy, invalid) => (
          <input
            id="action-name"
            type="text"
            value={draft.name}
            onChange={(event) => onChange({ name: event.target.value })}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            autoComplete="off"
            spellCheck={false}
            className={inputClass(invalid)}
          />
        )}
      </Field>

      <ActiveSwitch
        checked={draft.active}
        onChange={(active) => onChange({ active })}
        error={errorFor('active')}
      />

      <Field id="action-environment" label="Environment" error={errorFor('environment')}>
        {(describedBy, invalid) => (
          <select
            id="action-environment"
            value={draft.environment}
            onChange={(event) => {
              const environment = environments.find((e) => e === event.target.value);
              if (environment) onChange({ environment });
            }}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            className={inputClass(invalid)}
          >
            {environments.map((environment) => (
              <option key={environment} value={environment}>
                {environmentLabels[environment]}
              </option>
            ))}
          </select>
        )}
      </Field>

      <ScheduleFields draft={draft} onChange={onChange} errorFor={errorFor} />
    </div>
  );
}

/** The visible switch; the real control is the visually hidden checkbox before it (`peer`). */
const switchTrack =
  'relative h-5 w-9 rounded-full bg-slate-300 transition-colors peer-checked:bg-emerald-600 ' +
  'peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-500 after:absolute after:left-0.5 ' +
  'after:top-0.5 after:h-4 after:w-4 after:rounded-full after:bg-white ' +
  'after:transition-transform peer-checked:after:translate-x-4';

function ActiveSwitch(props: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  error: string | null;
}) {
  return (
    <div className="grid gap-1">
      <label className="flex cursor-pointer items-center gap-3 text-sm font-medium text-slate-800">
        <input
          type="checkbox"
          role="switch"
          checked={props.checked}
          onChange={(event) => props.onChange(event.target.checked)}
          aria-describedby="action-active-hint"
          className="peer sr-only"
        />
        <span
          aria-hidden="true"
          className={switchTrack}
        />
        Active
      </label>
      <p id="action-active-hint" className="text-xs text-slate-500">
        Inactive actions never run, whatever triggers them.
      </p>
      <FieldError id="action-active-error" message={props.error} />
    </div>
  );
}

/** Timezone names the browser knows, offered as suggestions; the server has the final word. */
function timezoneNames(): string[] {
  return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
}

function ScheduleFields({ draft, onChange, errorFor }: ActionSettingsProps) {
  return (
    <fieldset className="grid min-w-0 gap-3 rounded border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold">Schedule</legend>
      <Field
        id="action-frequency"
        label="Frequency"
        hint="Five-field cron, e.g. 0 8 * * 1 (Mondays at 08:00). A schedule trigger needs one."
        error={errorFor('frequency')}
      >
        {(describedBy, invalid) => (
          <input
            id="action-frequency"
            type="text"
            value={draft.frequency}
            placeholder="0 8 * * 1"
            onChange={(event) => onChange({ frequency: event.target.value })}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass(invalid)} font-mono`}
          />
        )}
      </Field>
      <Field
        id="action-timezone"
        label="Timezone"
        hint="IANA name such as Europe/London; empty uses the server’s default timezone."
        error={errorFor('timezone')}
      >
        {(describedBy, invalid) => (
          <>
            <input
              id="action-timezone"
              type="text"
              list="action-timezone-names"
              value={draft.timezone}
              placeholder="Europe/London"
              onChange={(event) => onChange({ timezone: event.target.value })}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              autoComplete="off"
              spellCheck={false}
              className={inputClass(invalid)}
            />
            <datalist id="action-timezone-names">
              {timezoneNames().map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </>
        )}
      </Field>
    </fieldset>
  );
}
