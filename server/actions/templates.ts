/**
 * Starting points for a new action, one per way an action can start: each is complete and
 * passes the save validation as it is, so "create, test, publish" works before any edit.
 * Browser-safe: the new-action dialog imports it.
 *
 * The `@param {ActionContext}` comment in each template is what types `context` in the editor:
 * JavaScript has no parameter types, and the editor's type definitions (typings.ts) declare
 * `ActionContext` for the action's own triggers.
 */
import type { ActionFields } from './validate';

export const templateIds = [
  'on-demand',
  'scheduled',
  'log-triggered',
  'analytics-triggered',
] as const;
export type TemplateId = (typeof templateIds)[number];

export interface ActionTemplate {
  id: TemplateId;
  title: string;
  /** One sentence on when to pick it. */
  description: string;
  /** A name suggestion; the dialog adds a number when it is taken. */
  suggestedName: string;
  fields: Omit<ActionFields, 'name'>;
}

const onDemandCode = `/**
 * Runs when app code calls run() or runWithResult(), and from the test panel.
 * @param {ActionContext} context
 */
async function execute(context) {
  const name = context.payload.name || 'world';
  return { greeting: \`Hello, \${name}!\` };
}
`;

const scheduledCode = `/**
 * Runs on the schedule once published. A scheduled run gets an empty payload,
 * so it fetches what it needs; its result is not kept, so it logs a summary.
 * @param {ActionContext} context
 */
async function execute(context) {
  const sources = await Fliplet.DataSources.get();
  console.info(\`The app has \${sources.length} data sources\`);
  return { dataSources: sources.length };
}
`;

const logTriggeredCode = `/**
 * Runs on the server when a matching app log event is written (once published).
 * @param {ActionContext} context
 */
async function execute(context) {
  const { log } = context.payload;
  console.info(\`\${log.type} on entry \${log.dataSourceEntryId}\`);
  return { type: log.type, entryId: log.dataSourceEntryId };
}
`;

const analyticsTriggeredCode = `/**
 * Runs in the user's browser when a matching analytics event is tracked.
 * @param {ActionContext} context
 */
async function execute(context) {
  const { type, data } = context.payload;
  return { type, screen: data._pageTitle, screenId: data._pageId };
}
`;

const onDemand: ActionTemplate = {
  id: 'on-demand',
  title: 'On demand',
  description: 'Called from app code with a payload; returns a result to the caller.',
  suggestedName: 'new-action',
  fields: {
    code: onDemandCode,
    active: true,
    environment: 'server',
    triggers: [{ trigger: 'manual' }],
    dependencies: [],
    frequency: null,
    timezone: null,
  },
};

/** What the new-action dialog starts with. */
export const defaultTemplate = onDemand;

export const actionTemplates: readonly ActionTemplate[] = [
  onDemand,
  {
    id: 'scheduled',
    title: 'Scheduled',
    description: 'Runs on the server on a cron schedule, every Monday at 08:00 to start with.',
    suggestedName: 'weekly-job',
    fields: {
      code: scheduledCode,
      active: true,
      environment: 'server',
      // Manual too, so the test panel and the SDK can run it before the first tick.
      triggers: [{ trigger: 'schedule' }, { trigger: 'manual' }],
      dependencies: ['fliplet-datasources'],
      frequency: '0 8 * * 1',
      timezone: 'UTC',
    },
  },
  {
    id: 'log-triggered',
    title: 'On an app event',
    description: 'Runs on the server when an app log event matches, e.g. a new data entry.',
    suggestedName: 'on-new-entry',
    fields: {
      code: logTriggeredCode,
      active: true,
      environment: 'server',
      triggers: [
        { trigger: 'log', where: { type: 'dataSource.entry.create' } },
        { trigger: 'manual' },
      ],
      dependencies: [],
      frequency: null,
      timezone: null,
    },
  },
  {
    id: 'analytics-triggered',
    title: 'On an analytics event',
    description: 'Runs in the browser when a screen view or custom analytics event matches.',
    suggestedName: 'on-screen-view',
    fields: {
      code: analyticsTriggeredCode,
      active: true,
      environment: 'client',
      triggers: [{ trigger: 'analytics', where: { type: 'analytics.pageView' } }],
      dependencies: [],
      frequency: null,
      timezone: null,
    },
  },
];

export function findTemplate(id: string): ActionTemplate | undefined {
  return actionTemplates.find((template) => template.id === id);
}
