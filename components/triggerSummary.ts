import type { ActionTrigger } from './apiTypes';

/** A trigger in a few words for the action list: its type and what it listens for. */
export function triggerSummary(trigger: ActionTrigger, frequency: string | null): string {
  const eventType = typeof trigger.where?.type === 'string' ? trigger.where.type : null;
  switch (trigger.trigger) {
    case 'schedule':
      return frequency ? `schedule ${frequency}` : 'schedule (no frequency)';
    case 'log':
    case 'analytics':
      return eventType ? `${trigger.trigger}: ${eventType}` : trigger.trigger;
    default:
      return trigger.trigger;
  }
}
