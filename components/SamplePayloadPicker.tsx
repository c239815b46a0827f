'use client';

import { triggerTypes, type TriggerType } from '@/server/triggers/types';

import type { TriggerDraft } from './actionDraft';
import { inputClass } from './Field';
import { sampleLabels, samplePayload } from './samplePayloads';

interface SamplePayloadPickerProps {
  appId: number;
  triggers: readonly TriggerDraft[];
  onPick: (payload: Record<string, unknown>) => void;
}

/**
 * Fills the payload box with what a run of a given kind receives. The action's own trigger
 * types come first; the others stay available, since a manual test often imitates them.
 */
export function SamplePayloadPicker({ appId, triggers, onPick }: SamplePayloadPickerProps) {
  const own = triggerTypes.filter((type) => triggers.some((t) => t.trigger === type));
  const others = triggerTypes.filter((type) => !own.includes(type));
  const option = (type: TriggerType) => (
    <option key={type} value={type}>
      {sampleLabels[type]}
    </option>
  );
  return (
    <div className="grid gap-1">
      <label htmlFor="test-sample" className="text-sm font-medium">
        Sample payload
      </label>
      <select
        id="test-sample"
        value=""
        onChange={(event) => {
          const type = triggerTypes.find((t) => t === event.target.value);
          if (type) onPick(samplePayload(type, appId, triggers));
        }}
        aria-describedby="test-sample-hint"
        className={inputClass(false)}
      >
        <option value="">Choose a sample to fill the payload…</option>
        {own.length > 0 ? (
          <optgroup label="This action’s triggers">{own.map(option)}</optgroup>
        ) : null}
        {others.length > 0 ? (
          <optgroup label="Other triggers">{others.map(option)}</optgroup>
        ) : null}
      </select>
      <p id="test-sample-hint" className="text-xs text-slate-500">
        Each sample has the shape a run started by that trigger receives.
      </p>
    </div>
  );
}
