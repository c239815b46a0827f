/**
 * The JS SDK of the public API: one method per operation, the same names and return shapes the
 * browser global `Fliplet.App.V3.Actions` has. It needs nothing but `fetch`, so it runs in Node
 * (18+) and in browsers alike; server modules are imported for their types only, which vanish
 * at compile time and keep server code out of the browser bundle.
 */
import type { ActionList } from '../actions/service';
import type { ActionObject, Asset } from '../actions/shape';
import type { ActionFields, Trigger } from '../actions/validate';
import type { ErrorStatus } from '../errors';
import type { RunVersion } from '../runs/job';
import type { RunLogEntry } from '../runs/logs';
import type { Environment, TriggerType } from '../triggers/types';

export type {
  ActionList,
  ActionObject,
  Asset,
  Environment,
  ErrorStatus,
  RunLogEntry,
  RunVersion,
  Trigger,
  TriggerType,
};

/** `create()` needs a name and code; every other field falls back to its default. */
export type CreateActionInput = Pick<ActionFields, 'name' | 'code'> &
  Partial<Omit<ActionFields, 'name' | 'code'>>;

/** `update()` changes only the fields it is given. */
export type UpdateActionInput = Partial<ActionFields>;

export interface ListOptions {
  /** Page size; 50 by default, at most 100. */
  limit?: number;
  offset?: number;
}

export type RunLogType = 'app.task.completed' | 'app.task.failed';

export interface LogsOptions {
  /** An action id: runs of that action, whether its master or its production version ran. */
  id?: number;
  where?: {
    type?: RunLogType;
    /** `data.taskId`: the id of the row that ran (the production id for production runs). */
    data?: { taskId?: number };
  };
  /** 50 by default, at most 1000. */
  limit?: number;
  offset?: number;
}

export interface LogList {
  /** How many entries this page holds (not a total). */
  count: number;
  /** Newest first. */
  logs: RunLogEntry[];
}

export interface ActionsClientOptions {
  /** Where the platform answers, such as `http://localhost:3000`. */
  baseUrl: string;
  appId: number;
  /** An API token, sent in the `Auth-token` header. */
  token: string;
  /** Which version `run()` and `runWithResult()` execute; `production` unless set. */
  version?: RunVersion;
}

export interface ActionsClient {
  get(options?: ListOptions): Promise<ActionList>;
  getById(id: number): Promise<{ action: ActionObject }>;
  create(data: CreateActionInput): Promise<{ action: ActionObject }>;
  update(id: number, data: UpdateActionInput): Promise<{ action: ActionObject }>;
  remove(id: number): Promise<void>;
  /** Resolves once the run is queued, not when it finishes. */
  run(nameOrId: string | number, payload?: Record<string, unknown>): Promise<void>;
  /** Resolves with the value `execute()` returned (at most 6 MB of JSON). */
  runWithResult<T = unknown>(
    nameOrId: string | number,
    payload?: Record<string, unknown>,
  ): Promise<T>;
  publish(id: number): Promise<{ action: ActionObject }>;
  unpublish(id: number): Promise<void>;
  getLogs(options?: LogsOptions): Promise<LogList>;
}

/**
 * The product's status codes, plus one the SDK itself uses when the answer is not the API's
 * (a proxy's HTML error page, a cut connection). A newer server may send codes this build does
 * not know, so any string is accepted while the known ones still autocomplete.
 */
export type ActionsErrorStatus =
  | ErrorStatus
  | 'UNEXPECTED_RESPONSE'
  | (string & Record<never, never>);

/** A refused call: the same `status` and `error` as the REST body, plus the HTTP status. */
export class ActionsApiError extends Error {
  readonly status: ActionsErrorStatus;
  readonly httpStatus: number;
  readonly error: string;
  /** Any further fields of the error body, such as `issues` or `retryAfterSeconds`. */
  readonly details: Record<string, unknown>;

  constructor(init: {
    status: ActionsErrorStatus;
    httpStatus: number;
    error: string;
    details?: Record<string, unknown>;
  }) {
    super(`${init.status}: ${init.error}`);
    this.name = 'ActionsApiError';
    this.status = init.status;
    this.httpStatus = init.httpStatus;
    this.error = init.error;
    this.details = init.details ?? {};
  }
}

const versions: readonly RunVersion[] = ['master', 'production'];

type Query = Record<string, string | number | undefined>;

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
}

export function createActionsClient(options: ActionsClientOptions): ActionsClient {
  const { appId, token } = options;
  const version = options.version ?? 'production';
  if (!Number.isSafeInteger(appId) || appId <= 0) {
    throw new TypeError('appId must be a positive whole number');
  }
  if (!versions.includes(version)) {
    throw new TypeError('version must be "master" or "production"');
  }
  const root = `${options.baseUrl.replace(/\/+$/, '')}/v3/apps/${appId}/actions`;

  const call = ({ method, path, query, body }: Call): Promise<unknown> =>
    send(`${root}${path}${queryString(query)}`, method, token, body);
  const one = (id: number | string) => `/${encodeURIComponent(String(id))}`;

  return {
    async get(list = {}) {
      const body = await call({ method: 'GET', path: '', query: { ...list } });
      return envelope(body, 'actions') as ActionList;
    },
    async getById(id) {
      return withAction(await call({ method: 'GET', path: one(id) }));
    },
    async create(data) {
      return withAction(await call({ method: 'POST', path: '', body: data }));
    },
    async update(id, data) {
      return withAction(await call({ method: 'PUT', path: one(id), body: data }));
    },
    async remove(id) {
      await call({ method: 'DELETE', path: one(id) });
    },
    async run(nameOrId, payload) {
      const path = `${one(nameOrId)}/run`;
      await call({ method: 'POST', path, query: { version }, body: payload });
    },
    async runWithResult<T = unknown>(nameOrId: string | number, payload?: Record<string, unknown>) {
      const path = `${one(nameOrId)}/run-with-result`;
      // The body is whatever execute() returned; its type is the caller's promise to keep.
      return (await call({ method: 'POST', path, query: { version }, body: payload })) as T;
    },
    async publish(id) {
      return withAction(await call({ method: 'POST', path: `${one(id)}/publish` }));
    },
    async unpublish(id) {
      await call({ method: 'POST', path: `${one(id)}/unpublish` });
    },
    async getLogs(logs = {}) {
      const query = {
        id: logs.id,
        type: logs.where?.type,
        'data.taskId': logs.where?.data?.taskId,
        limit: logs.limit,
        offset: logs.offset,
      };
      return envelope(await call({ method: 'GET', path: '/logs', query }), 'logs') as LogList;
    },
  };
}

function queryString(query: Query | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function send(url: string, method: string, token: string, body: unknown): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers['auth-token'] = token;
  let text: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    text = JSON.stringify(body);
  }
  const response = await fetch(url, { method, headers, body: text });
  const raw = await response.text();
  const parsed = parseJson(raw);
  if (!response.ok) throw toApiError(response.status, parsed, raw);
  if (parsed === undefined && raw.trim() !== '') {
    throw unexpected(response.status, 'the answer is not JSON', raw);
  }
  return parsed ?? null;
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    // Not JSON: the caller reports it with the start of the text.
    return undefined;
  }
}

function toApiError(httpStatus: number, parsed: unknown, raw: string): ActionsApiError {
  if (isRecord(parsed) && typeof parsed.status === 'string' && typeof parsed.error === 'string') {
    const { status, error, ...details } = parsed;
    return new ActionsApiError({ status, httpStatus, error, details });
  }
  return unexpected(httpStatus, 'the error answer is not the API\'s { status, error }', raw);
}

function unexpected(httpStatus: number, what: string, raw: string): ActionsApiError {
  const start = raw.slice(0, 200);
  return new ActionsApiError({
    status: 'UNEXPECTED_RESPONSE',
    httpStatus,
    error: `HTTP ${httpStatus}: ${what}${start ? `: ${start}` : ''}`,
  });
}

/**
 * Checks that the answer carries the key the operation promises. The rest of its shape is the
 * server's contract (see the OpenAPI document), so it is typed, not checked field by field.
 */
function envelope<K extends string>(body: unknown, key: K): Record<K, unknown> {
  if (isRecord(body) && key in body) return body;
  throw unexpected(200, `the answer has no "${key}"`, JSON.stringify(body) ?? '');
}

function withAction(body: unknown): { action: ActionObject } {
  return envelope(body, 'action') as { action: ActionObject };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
