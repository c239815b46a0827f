/**
 * The two routes only the runtime calls (the client-action catalogue and run reports). The
 * SDK's own methods go through its client; answers and refusals read the same way here.
 */
import { ActionsApiError } from '../../actions-client';
import { isRecord } from './protocol';

export interface ApiTarget {
  baseUrl: string;
  appId: number;
  token: string;
}

export interface ApiRequest {
  method: 'GET' | 'POST';
  /** Below `/v3/apps/:appId`, such as `/client-actions?version=master`. */
  path: string;
  body?: unknown;
}

/** Bodies up to this size may outlive the page (`keepalive`), which browsers cap at 64 KB. */
const KEEPALIVE_MAX_BYTES = 60_000;

function fitsKeepalive(body: string | undefined): boolean {
  // A character is at least one UTF-8 byte: long bodies are ruled out without encoding them.
  if (body === undefined || body.length > KEEPALIVE_MAX_BYTES) return false;
  return new TextEncoder().encode(body).length <= KEEPALIVE_MAX_BYTES;
}

export async function callApi(target: ApiTarget, request: ApiRequest): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.token) headers['auth-token'] = target.token;
  let body: string | undefined;
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  const url = `${target.baseUrl}/v3/apps/${target.appId}${request.path}`;
  const keepalive = fitsKeepalive(body);
  const response = await fetch(url, { method: request.method, headers, body, keepalive });
  const raw = await response.text();
  let parsed: unknown;
  try {
    parsed = raw.trim() === '' ? null : (JSON.parse(raw) as unknown);
  } catch {
    parsed = undefined;
  }
  if (response.ok && parsed !== undefined) return parsed;
  if (isRecord(parsed) && typeof parsed.status === 'string' && typeof parsed.error === 'string') {
    const { status, error, ...details } = parsed;
    throw new ActionsApiError({ status, httpStatus: response.status, error, details });
  }
  throw new ActionsApiError({
    status: 'UNEXPECTED_RESPONSE',
    httpStatus: response.status,
    error: `HTTP ${response.status}: the answer is not the API's JSON: ${raw.slice(0, 200)}`,
  });
}
