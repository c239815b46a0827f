import {
  createAction,
  getAction,
  listActions,
  publishAction,
  removeAction,
  unpublishAction,
  updateAction,
} from '../../actions/service';
import { db } from '../../db/client';
import { env } from '../../env';
import { AppError } from '../../errors';
import { clientRunBodyLimit, recordClientRun } from '../../runs/client-runs';
import { runVersions, type RunVersion } from '../../runs/job';
import { listRunLogs } from '../../runs/logs';
import { parsePayloadText } from '../../runs/payload';
import { queueRun, runWithResult } from '../../runs/request';
import { loadClientCatalogue } from '../../sdk/runtime/catalogue';
import { compileAction, debugResponse } from '../../sdk/runtime/debug-page';
import { previewSchedule } from '../../triggers/cron';
import type { Permission } from '../../auth/permissions';
import { authorizeApp } from '../auth';
import { openApiDocument } from '../openapi';
import { consumeRateLimit, type RateLimitKind } from '../rate-limit';
import { runWaiter } from '../waiter';
import { withRestAudit } from './audit';
import { intParam, json, readBody, readJson } from './http';
import { restPermission } from './permissions';

const ACTION_BODY_MAX_BYTES = 1024 * 1024;

export interface RouteContext {
  request: Request;
  url: URL;
  params: Record<string, string>;
}

type Handler = (ctx: RouteContext & { appId: number }) => Promise<Response>;

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
  handler: Handler;
  /** Also takes the token as `?token=`, for pages opened in a browser tab (read-only routes). */
  tokenInQuery: boolean;
}

const routes: Route[] = [];

function route(
  method: string,
  path: string,
  budget: RateLimitKind,
  handler: Handler,
  options: { tokenInQuery?: boolean } = {},
): void {
  const names: string[] = [];
  const source = path.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const tokenInQuery = options.tokenInQuery ?? false;
  const permission = restPermission(method, path);
  const pattern = new RegExp(`^${source}$`);
  routes.push({ method, path, permission, pattern, names, budget, handler, tokenInQuery });
}

const base = '/v3/apps/:appId/actions';

route('GET', base, 'crud', async ({ url, appId }) => {
  const limit = intParam(url.searchParams.get('limit'), 'limit');
  const offset = intParam(url.searchParams.get('offset'), 'offset');
  return json(await listActions(db(), appId, { limit, offset }));
});

route('POST', base, 'crud', async ({ request, appId }) => {
  const body = await readJson(request, ACTION_BODY_MAX_BYTES);
  return json({ action: await createAction(db(), appId, body) }, 201);
});

route('GET', `${base}/logs`, 'crud', async ({ url, appId }) => {
  const search = url.searchParams;
  return json(
    await listRunLogs(db(), appId, {
      id: intParam(search.get('id'), 'id'),
      type: search.get('type') ?? search.get('where[type]') ?? undefined,
      taskId: intParam(search.get('data.taskId') ?? search.get('where[data][taskId]'), 'taskId'),
      limit: intParam(search.get('limit'), 'limit'),
      offset: intParam(search.get('offset'), 'offset'),
    }),
  );
});

route('GET', `${base}/:id`, 'crud', async ({ params, appId }) =>
  json({ action: await getAction(db(), appId, actionId(params.id)) }),
);

route('PUT', `${base}/:id`, 'crud', async ({ request, params, appId }) => {
  const body = await readJson(request, ACTION_BODY_MAX_BYTES);
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

route('POST', `${base}/:nameOrId/run`, 'run', async ({ request, url, params, appId }) => {
  const payload = parsePayloadText(await readBody(request, maxPayload()), maxPayload());
  const job = await queueRun(db(), {
    appId,
    nameOrId: nameOrIdOf(params.nameOrId),
    version: versionOf(url),
    payload,
  });
  return json({ queued: true, runId: job.runId }, 202);
});

route('POST', `${base}/:nameOrId/run-with-result`, 'run', async ({ request, url, params, appId }) => {
  const payload = parsePayloadText(await readBody(request, maxPayload()), maxPayload());
  const { result } = await runWithResult(db(), runWaiter(), {
    appId,
    nameOrId: nameOrIdOf(params.nameOrId),
    version: versionOf(url),
    payload,
  });
  return json(result);
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
        count: intParam(search.get('count'), 'count') ?? 5,
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
  await consumeRateLimit(match.budget, appId);
  return withRestAudit(match, params, principal, () => match.handler({ ...ctx, params, appId }));
}

/** Every app route with the permission it needs, for the tests that check them all. */
export function appRoutes(): { method: string; path: string; permission: Permission }[] {
  return routes.map(({ method, path, permission }) => ({ method, path, permission }));
}
