import type { TriggerDraft } from './actionDraft';

/** Reading and changing one key of a trigger's `where` filter, for the trigger forms. */
export function whereOf(trigger: TriggerDraft): Record<string, unknown> {
  return trigger.where ?? {};
}

/** A copy of the trigger with `key` set, or removed when `value` is undefined. */
export function withWhere(trigger: TriggerDraft, key: string, value: unknown): TriggerDraft {
  const where = { ...whereOf(trigger) };
  if (value === undefined) delete where[key];
  else where[key] = value;
  return { ...trigger, where };
}

export interface TriggerFilterProps {
  index: number;
  trigger: TriggerDraft;
  onChange: (trigger: TriggerDraft) => void;
}
