'use client';

import { useState } from 'react';

import {
  analyticsEventTypes,
  logEventTypes,
  triggerRefusal,
  triggerTypes,
  type Environment,
  type TriggerType,
} from '@/server/triggers/types';

import type { TriggerDraft } from './actionDraft';
import { FieldError, inputClass } from './Field';
import { TriggerRow } from './TriggerRow';
import { secondaryButton } from './styles';

interface TriggerEditorProps {
  appId: number;
  triggers: TriggerDraft[];
  environment: Environment;
  onChange: (triggers: TriggerDraft[]) => void;
  error: string | null;
}

/** Why a trigger type cannot be added now, or null when it can. */
function addRefusal(type: TriggerType, environment: Environment, triggers: TriggerDraft[]) {
  const refusal = triggerRefusal(type, environment);
  if (refusal) return refusal;
  // Manual and schedule triggers take no filter, so a second one would change nothing.
  if ((type === 'manual' || type === 'schedule') && triggers.some((t) => t.trigger === type)) {
    return `the action already has a ${type} trigger`;
  }
  return null;
}

/** A new trigger starts valid: log and analytics triggers need an event type to match. */
function newTrigger(type: TriggerType): TriggerDraft {
  if (type === 'log') {
    const preferred = 'dataSource.entry.create';
    const eventType = logEventTypes.includes(preferred) ? preferred : logEventTypes[0];
    return { trigger: 'log', where: { type: eventType } };
  }
  if (type === 'analytics') {
    return { trigger: 'analytics', where: { type: analyticsEventTypes[0] } };
  }
  return { trigger: type };
}

/** The action's triggers: each with its filter, plus a picker that explains unavailable types. */
export function TriggerEditor(props: TriggerEditorProps) {
  const { appId, triggers, environment, onChange, error } = props;
  const refusals = triggerTypes.map((type) => ({
    type,
    refusal: addRefusal(type, environment, triggers),
  }));
  const firstAllowed = refusals.find((r) => r.refusal === null)?.type;
  const [picked, setPicked] = useState<TriggerType | undefined>(firstAllowed);
  // A pick that became unavailable (environment changed, trigger added) falls back to the first.
  const selected =
    refusals.find((r) => r.type === picked && r.refusal === null)?.type ?? firstAllowed;
  const unavailable = refusals.filter((r) => r.refusal !== null);

  const replace = (index: number, trigger: TriggerDraft) =>
    onChange(triggers.map((current, i) => (i === index ? trigger : current)));

  return (
    <fieldset
      className="grid min-w-0 gap-3 rounded border border-slate-200 p-3"
      aria-describedby={error ? 'triggers-error' : undefined}
    >
      <legend className="px-1 text-sm font-semibold">Triggers</legend>
      {triggers.length === 0 ? (
        <p className="text-sm text-slate-500">No triggers: nothing can start this action yet.</p>
      ) : (
        <ul aria-label="Triggers" className="grid gap-2">
          {triggers.map((trigger, index) => (
            <TriggerRow
              // Rows remount when the list grows or shrinks, so none keeps another's draft text.
              key={`${index}:${triggers.length}`}
              appId={appId}
              index={index}
              trigger={trigger}
              environment={environment}
              onChange={(next) => replace(index, next)}
              onRemove={() => onChange(triggers.filter((_, i) => i !== index))}
            />
          ))}
        </ul>
      )}

      <div className="flex flex-wrap items-end gap-2">
        <div className="grid min-w-40 flex-1 gap-1">
          <label htmlFor="new-trigger-type" className="text-sm font-medium text-slate-800">
            Add a trigger
          </label>
          <select
            id="new-trigger-type"
            value={selected ?? ''}
            onChange={(event) => setPicked(triggerTypes.find((t) => t === event.target.value))}
            aria-describedby={unavailable.length > 0 ? 'new-trigger-unavailable' : undefined}
            className={inputClass(false)}
          >
            {refusals.map(({ type, refusal }) => (
              <option
                key={type}
                value={type}
                disabled={refusal !== null}
                title={refusal ?? undefined}
              >
                {refusal ? `${type} (unavailable)` : type}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          disabled={!selected}
          onClick={() => selected && onChange([...triggers, newTrigger(selected)])}
          className={secondaryButton}
        >
          Add trigger
        </button>
      </div>
      {unavailable.length > 0 ? (
        <ul id="new-trigger-unavailable" className="grid gap-0.5 text-xs text-slate-500">
          {unavailable.map(({ type, refusal }) => (
            <li key={type}>
              <span className="font-medium">{type}</span>: {refusal}
            </li>
          ))}
        </ul>
      ) : null}
      <FieldError id="triggers-error" message={error} />
    </fieldset>
  );
}

