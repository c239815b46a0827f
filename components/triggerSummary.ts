import { describeFrequency } from '@/server/triggers/cron';

/** A trigger as both the stored action and the editor's draft hold it. */
interface TriggerLike {
  trigger: string;
  where?: Record<string, unknown>;
}

function eventTypeOf(trigger: TriggerLike): string | null {
  return typeof trigger.where?.type === 'string' ? trigger.where.type : null;
}

/** A trigger in a few words for the action list: its type and what it listens for. */
export function triggerSummary(trigger: TriggerLike, frequency: string | null): string {
  const eventType = eventTypeOf(trigger);
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

/** A trigger named in a sentence: "log trigger (dataSource.entry.create)". */
export function triggerLabel(trigger: TriggerLike): string {
  const eventType = eventTypeOf(trigger);
  return `${trigger.trigger} trigger${eventType ? ` (${eventType})` : ''}`;
}

/** The schedule in words, as the cron builder says it; the raw text if it no longer parses. */
export function scheduleInWords(frequency: string | null): string | null {
  if (!frequency) return null;
  try {
    return describeFrequency(frequency);
  } catch {
    return frequency;
  }
}
