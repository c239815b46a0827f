'use client';

import { triggerRefusal, type Environment } from '@/server/triggers/types';

import type { TriggerDraft } from './actionDraft';
import { AnalyticsTriggerFilter } from './AnalyticsTriggerFilter';
import { LogTriggerFilter } from './LogTriggerFilter';

interface TriggerRowProps {
  appId: number;
  index: number;
  trigger: TriggerDraft;
  environment: Environment;
  onChange: (trigger: TriggerDraft) => void;
  onRemove: () => void;
}

const summaries: Record<TriggerDraft['trigger'], string> = {
  manual: 'Runs when called with run() or runWithResult(), and from the test panel.',
  schedule: 'Runs the published version on the frequency set under Schedule.',
  log: 'Runs the published version when an app log event of this type is written.',
  analytics: 'Runs in the browser when an analytics event of this type is tracked.',
};

/** One trigger: what starts it, its event filter, and why it cannot run here if it cannot. */
export function TriggerRow(props: TriggerRowProps) {
  const { appId, index, trigger, environment, onChange, onRemove } = props;
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
        <LogTriggerFilter appId={appId} index={index} trigger={trigger} onChange={onChange} />
      ) : null}
      {trigger.trigger === 'analytics' ? (
        <AnalyticsTriggerFilter index={index} trigger={trigger} onChange={onChange} />
      ) : null}
    </li>
  );
}
