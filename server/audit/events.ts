/**
 * Which changes the audit trail records, in one place: tRPC procedures by path, REST routes by
 * method and path. The tRPC middleware and the REST dispatcher look a call up here after it
 * succeeded; a test checks that every mutation and every non-GET route has an entry.
 */
export type AuditAction =
  | 'action.create'
  | 'action.update'
  | 'action.publish'
  | 'action.unpublish'
  | 'action.restore'
  | 'action.remove'
  | 'run.rerun'
  | 'dataSource.create'
  | 'entry.create'
  | 'entry.update'
  | 'entry.remove'
  | 'app.publish'
  | 'app.unpublish'
  | 'token.create'
  | 'token.revoke'
  | 'user.create'
  | 'user.role'
  | 'user.remove';

/** A finished call: its input (tRPC input or REST path parameters) and what it answered. */
export interface AuditCall {
  input: unknown;
  result: unknown;
}

export interface AuditRule {
  action: AuditAction | ((call: AuditCall) => AuditAction);
  /** The id of what changed: an action, a run log, a token, a user, a data source or entry. */
  target: (call: AuditCall) => string | null;
  /** A few fields worth keeping; never secrets, codes or payloads. */
  detail?: (call: AuditCall) => Record<string, unknown>;
}

/** Calls that change nothing worth an audit row, with the reason in a comment. */
export const NOT_AUDITED = 'not audited';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The id at `path`, as text: numbers and strings alike (REST parameters are strings). */
function idAt(value: unknown, ...path: string[]): string | null {
  const found = at(value, ...path);
  return typeof found === 'number' || typeof found === 'string' ? String(found) : null;
}

const inputId = ({ input }: AuditCall) => idAt(input, 'id');

export const trpcAudit: Record<string, AuditRule | typeof NOT_AUDITED> = {
  'actions.create': { action: 'action.create', target: ({ result }) => idAt(result, 'id') },
  'actions.update': { action: 'action.update', target: inputId },
  'actions.remove': { action: 'action.remove', target: inputId },
  'actions.publish': { action: 'action.publish', target: inputId },
  'actions.unpublish': { action: 'action.unpublish', target: inputId },
  'actions.restore': {
    action: 'action.restore',
    target: ({ result }) => idAt(result, 'id'),
    detail: ({ input }) => ({ versionId: at(input, 'versionId') }),
  },
  'runs.rerun': {
    action: 'run.rerun',
    target: ({ input }) => idAt(input, 'logId'),
    detail: ({ input, result }) => ({ on: at(input, 'on'), runId: at(result, 'runId') }),
  },
  // A test run changes no action; it is in the run log with its payload and outcome.
  'runs.test': NOT_AUDITED,
  'apps.setPublished': {
    action: ({ input }) => (at(input, 'published') === true ? 'app.publish' : 'app.unpublish'),
    target: ({ input }) => idAt(input, 'appId'),
  },
  'tokens.create': {
    action: 'token.create',
    target: ({ result }) => idAt(result, 'id'),
    detail: ({ input }) => ({
      name: at(input, 'name'),
      role: at(input, 'role'),
      appId: at(input, 'appId') ?? null,
    }),
  },
  'tokens.revoke': { action: 'token.revoke', target: inputId },
  'users.create': {
    action: 'user.create',
    target: ({ result }) => idAt(result, 'id'),
    detail: ({ input }) => ({ email: at(input, 'email'), role: at(input, 'role') }),
  },
  'users.setRole': {
    action: 'user.role',
    target: ({ input }) => idAt(input, 'userId'),
    detail: ({ input }) => ({ role: at(input, 'role'), appId: at(input, 'appId') ?? null }),
  },
  'users.remove': { action: 'user.remove', target: ({ input }) => idAt(input, 'userId') },
  // Entries changed by hand in the data browser; the values are in the app log event.
  'dataSources.createEntry': {
    action: 'entry.create',
    target: ({ result }) => idAt(result, 'id'),
    detail: ({ input }) => ({ dataSourceId: at(input, 'dataSourceId') }),
  },
  'dataSources.updateEntry': {
    action: 'entry.update',
    target: ({ input }) => idAt(input, 'entryId'),
    detail: ({ input }) => ({ dataSourceId: at(input, 'dataSourceId') }),
  },
  'dataSources.removeEntry': {
    action: 'entry.remove',
    target: ({ input }) => idAt(input, 'entryId'),
    detail: ({ input }) => ({ dataSourceId: at(input, 'dataSourceId') }),
  },
};

const actions = '/v3/apps/:appId/actions';
const sources = '/v3/apps/:appId/data-sources';

/** REST routes by `METHOD path`; GET routes change nothing and are left out. */
export const restAudit: Record<string, AuditRule | typeof NOT_AUDITED> = {
  [`POST ${actions}`]: {
    action: 'action.create',
    target: ({ result }) => idAt(result, 'action', 'id'),
  },
  [`PUT ${actions}/:id`]: { action: 'action.update', target: inputId },
  [`DELETE ${actions}/:id`]: { action: 'action.remove', target: inputId },
  [`POST ${actions}/:id/publish`]: { action: 'action.publish', target: inputId },
  [`POST ${actions}/:id/unpublish`]: { action: 'action.unpublish', target: inputId },
  // Runs, from apps or the API, are recorded in the run log with their payload and outcome.
  [`POST ${actions}/:nameOrId/run`]: NOT_AUDITED,
  [`POST ${actions}/:nameOrId/run-with-result`]: NOT_AUDITED,
  [`POST ${actions}/:id/client-runs`]: NOT_AUDITED,
  [`POST ${sources}`]: {
    action: 'dataSource.create',
    target: ({ result }) => idAt(result, 'dataSource', 'id'),
    detail: ({ result }) => ({ name: at(result, 'dataSource', 'name') }),
  },
  // A query reads. App code writes entries as part of its normal work, and each change is an
  // app log event (docs/datasources.md) already, as runs are in the run log.
  [`POST ${sources}/:id/entries/query`]: NOT_AUDITED,
  [`POST ${sources}/:id/entries`]: NOT_AUDITED,
  [`PUT ${sources}/:id/entries/:entryId`]: NOT_AUDITED,
  [`DELETE ${sources}/:id/entries/:entryId`]: NOT_AUDITED,
};

export function auditActionOf(rule: AuditRule, call: AuditCall): AuditAction {
  return typeof rule.action === 'function' ? rule.action(call) : rule.action;
}
