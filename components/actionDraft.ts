import type { ErrorStatus } from '@/server/errors';
import { environments, type Environment, type TriggerType } from '@/server/triggers/types';

import type { ActionObject } from './apiTypes';

/**
 * The editable copy of an action held by the editor. Text inputs keep strings (an empty
 * frequency is "no schedule"); `bodyOf` turns it into the update body the API expects.
 */
export interface TriggerDraft {
  trigger: TriggerType;
  where?: Record<string, unknown>;
}

export interface ActionDraft {
  name: string;
  code: string;
  active: boolean;
  environment: Environment;
  triggers: TriggerDraft[];
  dependencies: string[];
  frequency: string;
  timezone: string;
}

export type ActionField = keyof ActionDraft;

export function draftOf(action: ActionObject): ActionDraft {
  return {
    name: action.name,
    code: action.code,
    active: action.active,
    environment: environments.find((e) => e === action.environment) ?? 'server',
    triggers: action.triggers.map(({ trigger, where }) =>
      where ? { trigger, where } : { trigger },
    ),
    dependencies: [...action.dependencies],
    frequency: action.frequency ?? '',
    timezone: action.timezone ?? '',
  };
}

export function bodyOf(draft: ActionDraft): Record<string, unknown> {
  return {
    ...draft,
    frequency: draft.frequency.trim() === '' ? null : draft.frequency,
    timezone: draft.timezone.trim() === '' ? null : draft.timezone.trim(),
  };
}

/** Drafts are small plain data; comparing their JSON is exact and cheap enough per keystroke. */
export function sameDraft(a: ActionDraft, b: ActionDraft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Which field a save error concerns, so the message is shown next to it. */
const fieldOfStatus: Partial<Record<ErrorStatus, ActionField>> = {
  NAME_REQUIRED: 'name',
  NAME_EMPTY: 'name',
  NAME_TOO_LONG: 'name',
  NAME_INVALID_CHARS: 'name',
  NAME_ALREADY_EXISTS: 'name',
  CODE_REQUIRED: 'code',
  CODE_EMPTY: 'code',
  CODE_VALIDATION_FAILED: 'code',
  ACTIVE_INVALID: 'active',
  ENVIRONMENT_INVALID: 'environment',
  FREQUENCY_INVALID: 'frequency',
  FREQUENCY_TOO_FREQUENT: 'frequency',
  TIMEZONE_INVALID: 'timezone',
  TRIGGERS_INVALID: 'triggers',
  TRIGGER_TYPE_INVALID: 'triggers',
  TRIGGER_NOT_ALLOWED: 'triggers',
  DEPENDENCIES_INVALID: 'dependencies',
};

export function fieldOfError(status: string): ActionField | null {
  const entry = Object.entries(fieldOfStatus).find(([code]) => code === status);
  return entry?.[1] ?? null;
}
