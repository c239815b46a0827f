'use client';

import { useState } from 'react';

import { environments, triggerRefusal, type Environment } from '@/server/triggers/types';

import type { ActionDraft, ActionField, TriggerDraft } from './actionDraft';
import { ConfirmDialog } from './ConfirmDialog';
import { CronBuilder } from './CronBuilder';
import { Field, FieldError, inputClass } from './Field';
import { Switch } from './Switch';
import { triggerLabel } from './triggerSummary';

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

      <div className="grid gap-1">
        <Switch
          checked={draft.active}
          onChange={(active) => onChange({ active })}
          label="Active"
          describedBy="action-active-hint"
        />
        <p id="action-active-hint" className="text-xs text-slate-500">
          Inactive actions never run, whatever triggers them.
        </p>
        <FieldError id="action-active-error" message={errorFor('active')} />
      </div>

      <EnvironmentField draft={draft} onChange={onChange} errorFor={errorFor} />

      <CronBuilder
        frequency={draft.frequency}
        timezone={draft.timezone}
        onChange={onChange}
        frequencyError={errorFor('frequency')}
        timezoneError={errorFor('timezone')}
        note={scheduleNote(draft)}
      />
    </div>
  );
}

/** Whether the schedule will do anything, in the terms of the trigger list. */
function scheduleNote(draft: ActionDraft): string | null {
  const refusal = triggerRefusal('schedule', draft.environment);
  if (refusal) return `Not used in this environment: ${refusal}.`;
  const scheduled = draft.triggers.some((t) => t.trigger === 'schedule');
  if (scheduled && draft.frequency.trim() === '') {
    return 'The schedule trigger needs a frequency: pick one below.';
  }
  if (!scheduled && draft.frequency.trim() !== '') {
    return 'Add a schedule trigger for this frequency to take effect.';
  }
  return scheduled ? 'Runs the published version on this schedule.' : null;
}

interface PendingEnvironment {
  environment: Environment;
  removed: TriggerDraft[];
}

/**
 * The environment select. A change that the current triggers do not allow asks first, naming
 * the triggers it would remove, instead of leaving a draft the server will refuse.
 */
function EnvironmentField({ draft, onChange, errorFor }: ActionSettingsProps) {
  const [pending, setPending] = useState<PendingEnvironment | null>(null);
  const choose = (environment: Environment) => {
    const removed = draft.triggers.filter((t) => triggerRefusal(t.trigger, environment));
    if (removed.length === 0) onChange({ environment });
    else setPending({ environment, removed });
  };
  const confirm = () => {
    if (!pending) return;
    const { environment, removed } = pending;
    onChange({ environment, triggers: draft.triggers.filter((t) => !removed.includes(t)) });
    setPending(null);
  };

  return (
    <>
      <Field id="action-environment" label="Environment" error={errorFor('environment')}>
        {(describedBy, invalid) => (
          <select
            id="action-environment"
            value={draft.environment}
            onChange={(event) => {
              const environment = environments.find((e) => e === event.target.value);
              if (environment) choose(environment);
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
      {pending ? (
        <ConfirmDialog
          title={`Switch to ${pending.environment}?`}
          confirmLabel={`Remove ${pending.removed.length === 1 ? 'it' : 'them'} and switch`}
          onConfirm={confirm}
          onCancel={() => setPending(null)}
          tone="danger"
        >
          <p className="text-sm">
            The {pending.environment} environment does not allow{' '}
            {pending.removed.length === 1 ? 'this trigger' : 'these triggers'}, so switching
            removes {pending.removed.length === 1 ? 'it' : 'them'} from the draft:
          </p>
          <ul aria-label="Triggers to remove" className="grid gap-1 text-sm">
            {pending.removed.map((trigger, index) => (
              <li key={index} className="rounded bg-red-50 px-2 py-1">
                <span className="font-medium">{triggerLabel(trigger)}</span>
                <span className="block text-xs text-slate-600">
                  {triggerRefusal(trigger.trigger, pending.environment)}
                </span>
              </li>
            ))}
          </ul>
          <p className="text-xs text-slate-500">Nothing is saved until you save the action.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
