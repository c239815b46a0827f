/** Which triggers each environment allows, and the event types log and analytics triggers use. */
export const environments = ['server', 'client', 'any'] as const;
export type Environment = (typeof environments)[number];

export const triggerTypes = ['manual', 'schedule', 'log', 'analytics'] as const;
export type TriggerType = (typeof triggerTypes)[number];

export const allowedTriggers: Record<Environment, readonly TriggerType[]> = {
  server: ['manual', 'schedule', 'log'],
  client: ['manual', 'analytics'],
  any: ['manual', 'schedule', 'log', 'analytics'],
};

/** Why a trigger is refused in an environment; shown by the API and beside disabled options. */
export function triggerRefusal(trigger: TriggerType, environment: Environment): string | null {
  if (allowedTriggers[environment].includes(trigger)) return null;
  return trigger === 'analytics'
    ? 'analytics triggers run in the browser, so they need the client or any environment'
    : `${trigger} triggers run on the server, so they need the server or any environment`;
}

/** App log event types, grouped as the log trigger form shows them. */
export const logEventGroups: Record<string, readonly string[]> = {
  Communication: [
    'sms.2fa',
    'sms.communicate',
    'sms.dataSourceHook',
    'sms.validate',
    'email.communicate',
    'email.delivered',
    'email.delayed',
    'email.bounced',
    'email.complaint',
    'email.rejected',
    'email.dataSourceHook',
    'email.validate',
  ],
  'App analytics': ['app.analytics.event', 'app.analytics.pageView', 'app.update', 'app.view'],
  'Data sources': [
    'dataSource.entry.create',
    'dataSource.entry.update',
    'dataSource.entry.delete',
    'dataSource.event',
    'dataSource.import',
  ],
  Media: ['mediaFile.create'],
  Session: ['session.locale.updated'],
  'AI services': ['ai.completions', 'ai.image', 'ai.audio', 'ai.embeddings'],
};

export const logEventTypes: readonly string[] = Object.values(logEventGroups).flat();

export const analyticsEventTypes = ['analytics.pageView', 'analytics.event'] as const;
