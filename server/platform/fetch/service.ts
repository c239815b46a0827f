import { AppError, isAppError } from '../../errors';
import { parseInput } from '../datasources/validate';
import type { FetchConfig } from './config';
import { exchange, type ExchangeResponse } from './exchange';
import {
  fetchInitSchema,
  fetchUrlSchema,
  type CheckedInit,
  type FetchInit,
} from './request-schema';
import { checkUrl, resolveTarget, systemResolver, type Resolver } from './target';

/**
 * `fetch` for actions, run on the host. Every hop (the first request and each redirect) is
 * resolved and checked by `resolveTarget` before a socket is opened, redirects are followed
 * here rather than by a library, and the whole exchange is bounded in time and size.
 */

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Sent only to the origin they were given for, as browsers do. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-location'];

/** What goes back into the isolate, where the shim wraps it in a Response-like object. */
export interface FetchResult {
  url: string;
  status: number;
  statusText: string;
  redirected: boolean;
  headers: Record<string, string>;
  /** The body decoded as UTF-8. */
  body: string;
}

export interface FetchDeps {
  config: FetchConfig;
  /** The run's signal: it aborts when the run ends, and the request with it. */
  signal: AbortSignal;
  resolve?: Resolver;
}

export async function guardedFetch(
  rawUrl: string,
  rawInit: FetchInit,
  deps: FetchDeps,
): Promise<FetchResult> {
  const urlText = parseInput(fetchUrlSchema, rawUrl, 'fetch: url');
  const init = parseInput(fetchInitSchema, rawInit, 'fetch: options');
  let url: URL;
  try {
    url = new URL(urlText);
  } catch (error) {
    throw new AppError('BAD_REQUEST', `fetch: ${JSON.stringify(urlText)} is not an absolute URL`, {
      cause: error,
    });
  }
  checkUrl(url);

  const { timeoutMs } = deps.config;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([deps.signal, deadline]);
  try {
    return await follow(url, init, { ...deps, signal });
  } catch (error) {
    throw failure(error, url, { deadline, run: deps.signal, timeoutMs });
  }
}

/** The error an action sees: why the fetch ended, never a raw socket error object. */
function failure(
  error: unknown,
  url: URL,
  context: { deadline: AbortSignal; run: AbortSignal; timeoutMs: number },
): AppError {
  const cause = { cause: error };
  if (context.deadline.aborted) {
    const message = `fetch: ${url.origin} did not answer within ${context.timeoutMs} ms`;
    return new AppError('EXECUTION_TIMEOUT', message, cause);
  }
  if (context.run.aborted) {
    return new AppError('EXECUTION_FAILED', 'fetch: cancelled because the run ended', cause);
  }
  if (isAppError(error)) return error;
  const message = `fetch: could not reach ${url.origin}${errorCode(error)}`;
  return new AppError('EXECUTION_FAILED', message, cause);
}

async function follow(first: URL, init: CheckedInit, deps: FetchDeps): Promise<FetchResult> {
  const { config, signal } = deps;
  let url = first;
  let { method, body } = init;
  let headers: Record<string, string> = {
    'user-agent': 'app-actions-fetch',
    'accept-encoding': 'gzip, deflate, br',
    ...init.headers,
  };
  for (let hop = 0; ; hop += 1) {
    signal.throwIfAborted();
    const resolving = resolveTarget(url, config.allow, deps.resolve ?? systemResolver);
    const target = await abortable(resolving, signal);
    const response = await exchange({ target, method, headers, body: body ?? null, signal });
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(response.status) || init.redirect === 'manual' || !location) {
      return result(url, response, hop > 0, await response.read(config.maxBytes));
    }
    response.discard();
    if (init.redirect === 'error') {
      throw new AppError('BAD_REQUEST', `fetch: ${url.href} redirects (redirect: "error")`);
    }
    if (hop === MAX_REDIRECTS) {
      const message = `fetch: more than ${MAX_REDIRECTS} redirects, starting at ${first.href}`;
      throw new AppError('BAD_REQUEST', message);
    }
    const next = redirectTarget(url, location);
    if (response.status === 303 || (response.status <= 302 && method === 'POST')) {
      // As browsers do: the next request is a GET without the body.
      method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = null;
      headers = without(headers, BODY_HEADERS);
    }
    if (next.origin !== url.origin) headers = without(headers, ORIGIN_BOUND_HEADERS);
    url = next;
  }
}

function redirectTarget(from: URL, location: string): URL {
  try {
    return new URL(location, from);
  } catch (error) {
    const message = `fetch: ${from.href} redirects to an invalid URL`;
    throw new AppError('BAD_REQUEST', message, { cause: error });
  }
}

function result(
  url: URL,
  response: ExchangeResponse,
  redirected: boolean,
  bytes: Buffer,
): FetchResult {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    url: url.href,
    status: response.status,
    statusText: response.statusText,
    redirected,
    headers,
    body: new TextDecoder('utf-8').decode(bytes),
  };
}

function without(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}

/** A lookup cannot be cancelled, but the fetch stops waiting for it. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function errorCode(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? ` (${code})` : '';
}
