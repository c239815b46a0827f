import { z } from 'zod';

import {
  createAction,
  getAction,
  listActions,
  publishAction,
  removeAction,
  unpublishAction,
  updateAction,
} from '../../actions/service';
import type { ActionRow } from '../../actions/shape';
import type { Access } from '../../auth/access';
import { db } from '../../db/client';
import { env } from '../../env';
import { AppError } from '../../errors';
import {
  createDataSource,
  createDataSourceSchema,
  entryDataSchema,
  findById,
  findEntries,
  getDataSource,
  insertEntry,
  listDataSources,
  removeEntry,
  rowIdSchema,
  updateEntry,
  type DataSourceScope,
} from '../../platform/datasources/service';
import { findQuerySchema } from '../../platform/datasources/query';
import { parseInput } from '../../platform/datasources/validate';
import { mediaIdSchema } from '../../platform/media/schemas';
import { readFileBytes } from '../../platform/media/service';
import { mediaRoot } from '../../platform/media/storage';
import { clientRunBodyLimit, recordClientRun } from '../../runs/client-runs';
import { runVersions, type RunVersion } from '../../runs/job';
import { listRunLogs } from '../../runs/logs';
import { parsePayloadText } from '../../runs/payload';
import { queueRun, resolveRunnable, runWithResult } from '../../runs/request';
import { loadClientCatalogue } from '../../sdk/runtime/catalogue';
import { compileAction, debugResponse } from '../../sdk/runtime/debug-page';
import { previewSchedule } from '../../triggers/cron';
import type { Permission } from '../../auth/permissions';
import { authorizeApp } from '../auth';
import { openApiDocument } from '../openapi';
import { consumeRateLimit, type RateLimitKind } from '../rate-limit';
import { runWaiter } from '../waiter';
import { withRestAudit } from './audit';
import { fileResponse } from './file-response';
import { intParam, json, offsetParam, readBody, readJson, sizeParam } from './http';
import { restPermission } from './permissions';

/** The largest JSON body of a create, update or query call. */
const BODY_MAX_BYTES = 1024 * 1024;

export interface RouteContext {
  request: Request;
  url: URL;
  params: Record<string, string>;
}

/**
 * `access`: the token's role, organisation and app, as the permission check found them.
 * `early`: what the route's early read found (see EarlyRead), for routes that have one.
 */
type Handler<T> = (
  ctx: RouteContext & { appId: number; access: Access; early: Promise<T> },
) => Promise<Response>;

/**
 * A read a route needs, started while the app's rate-limit budget is spent (one round trip
 * saved): it must change nothing, since the call may still be refused. Its failure reaches the
 * handler, after the budget's verdict, as if the handler had read it itself.
 */
type EarlyRead<T> = (ctx: RouteContext & { appId: number }) => Promise<T>;

interface Route {
  method: string;
  /** As registered, e.g. `/v3/apps/:appId/actions/:id`: the key of permissions and audit. */
  path: string;
  /** What the token's role must allow (rest/permissions.ts). */
  permission: Permission;
  pattern: RegExp;
  names: string[];
  /** Which of the app's rate-limit budgets a call spends. */
  budget: RateLimitKind;
  /** Starts the route's early read, if any; the handler runs when the result is called. */
  begin: (ctx: RouteContext & { appId: number }) => (access: Access) => Promise<Response>;
  /** Also takes the token as `?token=`, for pages opened in a browser tab (read-only routes). */
  tokenInQuery: boolean;
}

const routes: Route[] = [];

function route<T = undefined>(
  method: string,
  path: string,
  budget: RateLimitKind,
  handler: Handler<T>,
  options: { tokenInQuery?: boolean; early?: EarlyRead<T> } = {},
): void {
  const names: string[] = [];
  const source = path.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const tokenInQuery = options.tokenInQuery ?? false;
  const permission = restPermission(method, path);
  const pattern = new RegExp(`^${source}$`);
  const { early: read } = options;
  const begin = (ctx: RouteContext & { appId: number }) => {
    // Async, so that a bad parameter it throws on waits for the budget's verdict too.
    const early = read ? (async () => read(ctx))() : Promise.resolve(undefined as T);
    // Read by the handler, or never if the call is refused: either way not unhandled.
    early.catch(() => {});
    return (access: Access) => handler({ ...ctx, access, early });
  };
  routes.push({ method, path, permission, pattern, names, budget, begin, tokenInQuery });
}

const base = '/v3/apps/:appId/actions';

route('GET', base, 'crud', async ({ url, appId }) => {
  const limit = sizeParam(url.searchParams.get('limit'), 'limit');
  const offset = offsetParam(url.searchParams.get('offset'), 'offset');
  return json(await listActions(db(), appId, { limit, offset }));
});

route('POST', base, 'crud', async ({ request, appId }) => {
  const body = await readJson(request, BODY_MAX_BYTES);
  return json({ action: await createAction(db(), appId, body) }, 201);
});

route('GET', `${base}/logs`, 'crud', async ({ url, appId }) => {
  const search = url.searchParams;
  return json(
    await listRunLogs(db(), appId, {
      id: intParam(search.get('id'), 'id'),
      type: search.get('type') ?? search.get('where[type]') ?? undefined,
      taskId: intParam(search.get('data.taskId') ?? search.get('where[data][taskId]'), 'taskId'),
      limit: sizeParam(search.get('limit'), 'limit'),
      offset: offsetParam(search.get('offset'), 'offset'),
    }),
  );
});

route('GET', `${base}/:id`, 'crud', async ({ params, appId }) =>
  json({ action: await getAction(db(), appId, actionId(params.id)) }),
);

route('PUT', `${base}/:id`, 'crud', async ({ request, params, appId }) => {
  const body = await readJson(request, BODY_MAX_BYTES);
  return json({ action: await updateAction(db(), appId, actionId(params.id), body) });
});

route('DELETE', `${base}/:id`, 'crud', async ({ params, appId }) => {
  await removeAction(db(), appId, actionId(params.id));
  return json({});
});

route('POST', `${base}/:id/publish`, 'publish', async ({ params, appId }) =>
  json({ action: await publishAction(db(), appId, actionId(params.id)) }),
);

route('POST', `${base}/:id/unpublish`, 'publish', async ({ params, appId }) => {
  await unpublishAction(db(), appId, actionId(params.id));
  return json({});
});

/** The row an on-demand run will run, read while the run budget is spent. */
const runnableRow: EarlyRead<ActionRow> = ({ params, url, appId }) =>
  resolveRunnable(db(), appId, nameOrIdOf(params.nameOrId), versionOf(url));

const queueRunHandler: Handler<ActionRow> = async ({ request, appId, early }) => {
  const payload = parsePayloadText(await readBody(request, maxPayload()), maxPayload());
  const job = await queueRun(db(), { appId, payload, runnable: early });
  return json({ queued: true, runId: job.runId }, 202);
};

const runWithResultHandler: Handler<ActionRow> = async ({ request, appId, early }) => {
  const payload = parsePayloadText(await readBody(request, maxPayload()), maxPayload());
  const { result } = await runWithResult(db(), runWaiter(), { appId, payload, runnable: early });
  return json(result);
};

route('POST', `${base}/:nameOrId/run`, 'run', queueRunHandler, { early: runnableRow });
route('POST', `${base}/:nameOrId/run-with-result`, 'run', runWithResultHandler, {
  early: runnableRow,
});

// The browser runtime: the app's actions that run in browsers, and runs browsers report.
route('GET', '/v3/apps/:appId/client-actions', 'crud', async ({ url, appId }) =>
  json(await loadClientCatalogue(db(), appId, versionOf(url))),
);

route('POST', `${base}/:id/client-runs`, 'run', async ({ request, params, appId }) => {
  const body = await readJson(request, clientRunBodyLimit());
  const answer = await recordClientRun(db(), appId, actionId(params.id), body);
  return json(answer, answer.logged ? 201 : 200);
});

// The debug page is opened in a browser tab, which cannot send a header: see docs/api.md.
route('GET', `${base}/:id/compile`, 'crud', async ({ url, params, appId }) => {
  const compiled = await compileAction(db(), appId, actionId(params.id));
  return debugResponse(compiled, url.searchParams.has('html'));
}, { tokenInQuery: true });

// Data sources: what actions reach as Fliplet.DataSources, for app code outside actions. The
// same service functions run, so checks, app log events and log triggers are the same.
const sources = '/v3/apps/:appId/data-sources';
const entries = `${sources}/:id/entries`;

/** An entry as sent: its data, plus any keys an entry has when read (ignored). */
const entryBody = z.object({ data: entryDataSchema });

route('GET', sources, 'crud', async ({ appId }) =>
  json({ dataSources: await listDataSources(db(), appId) }),
);

route('POST', sources, 'crud', async ({ request, appId }) => {
  const body = await readJson(request, BODY_MAX_BYTES);
  const input = parseInput(createDataSourceSchema, body, 'data source');
  return json({ dataSource: await createDataSource(db(), { appId }, input) }, 201);
});

route('GET', `${sources}/:id`, 'crud', async ({ params, appId }) =>
  json({ dataSource: await getDataSource(db(), appId, sourceIdOf(params.id)) }),
);

route('GET', entries, 'crud', async ({ url, params, appId }) => {
  const query = {
    limit: sizeParam(url.searchParams.get('limit'), 'limit'),
    offset: offsetParam(url.searchParams.get('offset'), 'offset'),
    includePagination: true,
  } as const;
  return json(await findEntries(db(), appId, sourceIdOf(params.id), query));
});

route('POST', `${entries}/query`, 'crud', async ({ request, params, appId }) => {
  const body = await readJson(request, BODY_MAX_BYTES);
  const query = parseInput(findQuerySchema, body, 'find options');
  const found = await findEntries(db(), appId, sourceIdOf(params.id), query);
  return json(Array.isArray(found) ? { entries: found } : found);
});

route('POST', entries, 'crud', async ({ request, params, appId, access }) => {
  const { data } = parseInput(entryBody, await readJson(request, BODY_MAX_BYTES), 'entry');
  const entry = await insertEntry(db(), scopeOf(access, appId), sourceIdOf(params.id), data);
  return json({ entry }, 201);
});

route('GET', `${entries}/:entryId`, 'crud', async ({ params, appId }) => {
  const sourceId = sourceIdOf(params.id);
  const entryId = await entryIdOf(appId, sourceId, params.entryId);
  const entry = await findById(db(), appId, sourceId, entryId);
  if (!entry) throw entryNotFound(params.entryId, sourceId);
  return json({ entry });
});

// A shallow merge, as `update` inside actions: docs/datasources.md.
route('PUT', `${entries}/:entryId`, 'crud', async ({ request, params, appId, access }) => {
  const { data } = parseInput(entryBody, await readJson(request, BODY_MAX_BYTES), 'entry');
  const sourceId = sourceIdOf(params.id);
  const entryId = await entryIdOf(appId, sourceId, params.entryId);
  return json({ entry: await updateEntry(db(), scopeOf(access, appId), sourceId, entryId, data) });
});

route('DELETE', `${entries}/:entryId`, 'crud', async ({ params, appId, access }) => {
  const sourceId = sourceIdOf(params.id);
  const entryId = await entryIdOf(appId, sourceId, params.entryId);
  await removeEntry(db(), scopeOf(access, appId), sourceId, entryId);
  return json({});
});

// Media bytes, opened in a browser tab as often as fetched: the token may come as `?token=`.
route('GET', '/v3/apps/:appId/media/files/:id/contents', 'crud', async ({ params, appId }) => {
  const id = mediaIdSchema.safeParse(params.id ?? '');
  if (!id.success) throw new AppError('NOT_FOUND', `Media file ${params.id ?? ''} not found`);
  const { file, bytes } = await readFileBytes(db(), appId, id.data, mediaRoot());
  return fileResponse(file, bytes);
}, { tokenInQuery: true });

function maxPayload(): number {
  return env().ACTIONS_MAX_PAYLOAD_BYTES;
}

function nameOrIdOf(value: string | undefined): string {
  try {
    return decodeURIComponent(value ?? '');
  } catch (error) {
    const message = 'The action name in the address is not valid percent-encoding';
    throw new AppError('BAD_REQUEST', message, { cause: error });
  }
}

function actionId(value: string | undefined): number {
  if (!value || !/^\d+$/.test(value)) {
    throw new AppError('ACTION_NOT_FOUND', `No action found with id "${value ?? ''}"`);
  }
  return Number(value);
}

/** A data source id in the address; anything but digits names no data source. */
function sourceIdOf(value: string | undefined): number {
  if (!value || !/^\d+$/.test(value)) {
    throw new AppError('DATA_SOURCE_NOT_FOUND', `Data source "${value ?? ''}" not found`);
  }
  return Number(value);
}

/**
 * An entry id in the address. One that cannot name a row is not found, but only once the data
 * source is known to exist, so an unknown data source answers first, as the service does.
 */
async function entryIdOf(appId: number, sourceId: number, value = ''): Promise<number> {
  if (/^\d+$/.test(value) && rowIdSchema.safeParse(Number(value)).success) return Number(value);
  await getDataSource(db(), appId, sourceId);
  throw entryNotFound(value, sourceId);
}

function entryNotFound(value: string | undefined, sourceId: number): AppError {
  const message = `Entry ${value ?? ''} not found in data source ${sourceId}`;
  return new AppError('ENTRY_NOT_FOUND', message);
}

/** Changes made over the API are the app's own; no app user is known. */
function scopeOf(access: Access, appId: number): DataSourceScope {
  return { appId, organizationId: access.organizationId, userId: null };
}

/** On-demand runs use production unless the caller says it runs from the editor or viewer. */
function versionOf(url: URL): RunVersion {
  const value = url.searchParams.get('version') ?? 'production';
  const version = runVersions.find((v) => v === value);
  if (!version) throw new AppError('BAD_REQUEST', 'version must be "master" or "production"');
  return version;
}

/** Public routes that need no app token. */
export async function handlePublicRoute(ctx: RouteContext): Promise<Response | null> {
  if (ctx.request.method === 'GET' && ctx.url.pathname === '/v3/openapi.json') {
    return json(openApiDocument());
  }
  if (ctx.request.method === 'GET' && ctx.url.pathname === '/v3/cron/preview') {
    const search = ctx.url.searchParams;
    const from = search.get('from');
    const fromDate = from ? new Date(from) : new Date();
    if (Number.isNaN(fromDate.getTime())) {
      throw new AppError('BAD_REQUEST', 'from must be an ISO 8601 instant');
    }
    return json(
      previewSchedule({
        frequency: search.get('frequency') ?? '',
        timezone: search.get('timezone') || undefined,
        from: fromDate,
        count: sizeParam(search.get('count'), 'count') ?? 5,
      }),
    );
  }
  return null;
}

export async function handleAppRoute(ctx: RouteContext): Promise<Response | null> {
  const candidates = routes.filter((r) => r.pattern.test(ctx.url.pathname));
  if (candidates.length === 0) return null;
  const match = candidates.find((r) => r.method === ctx.request.method);
  if (!match) {
    throw new AppError('NOT_FOUND', `${ctx.request.method} is not supported on this address`);
  }
  const values = match.pattern.exec(ctx.url.pathname)?.slice(1) ?? [];
  const params = Object.fromEntries(match.names.map((name, i) => [name, values[i] ?? '']));
  const appId = intParam(params.appId, 'appId');
  if (appId === undefined) throw new AppError('APP_NOT_FOUND', 'Unknown app');
  const queryToken = match.tokenInQuery ? ctx.url.searchParams.get('token') : null;
  const token = ctx.request.headers.get('auth-token') ?? queryToken;
  const principal = await authorizeApp(db(), token, appId, match.permission);
  const handle = match.begin({ ...ctx, params, appId });
  await consumeRateLimit(match.budget, appId);
  return withRestAudit(match, params, principal, () => handle(principal.access));
}

/** Every app route with the permission it needs, for the tests that check them all. */
export function appRoutes(): { method: string; path: string; permission: Permission }[] {
  return routes.map(({ method, path, permission }) => ({ method, path, permission }));
}
