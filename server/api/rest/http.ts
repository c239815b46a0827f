import { AppError, isAppError } from '../../errors';
import { logger } from '../../log';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** Every failure leaves as `{ status, error }` with the HTTP status of its code. */
export function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    const headers: Record<string, string> = {};
    const retryAfter = error.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
    return json(error.toJSON(), error.httpStatus, headers);
  }
  logger.error({ err: error }, 'unexpected error in REST request');
  return json({ status: 'INTERNAL_ERROR', error: 'Something went wrong on the server' }, 500);
}

/** Reads a body no larger than `maxBytes` without trusting Content-Length. */
export async function readBody(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes`);
}

export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const text = await readBody(request, maxBytes);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('BAD_REQUEST', 'The request body is not valid JSON', { cause: error });
  }
}

/** Any whole number, with a sign or not; anything else is 400. */
function wholeNumber(value: string | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  // Past 2^53 a number is no longer exact, and Postgres refuses it as a limit or offset.
  if (!/^[-+]?\d+$/.test(value)) {
    throw new AppError('BAD_REQUEST', `${name} must be a whole number`);
  }
  if (!Number.isSafeInteger(Number(value))) {
    throw new AppError('BAD_REQUEST', `${name} must be a whole number between -2^53 and 2^53`);
  }
  return Number(value);
}

/** An id in a query string (`id`, `data.taskId`): a whole number, 0 or more. */
export function intParam(value: string | null | undefined, name: string): number | undefined {
  const number = wholeNumber(value, name);
  if (number !== undefined && number < 0) {
    throw new AppError('BAD_REQUEST', `${name} must be a whole number, 0 or more`);
  }
  return number;
}

/**
 * How many to answer (`limit` of a list, `count` of the cron preview). Clamped, not refused,
 * as the list services clamp a size above their maximum: any whole number below 1 is 1. Only
 * a value that is not a whole number is 400.
 */
export function sizeParam(value: string | null | undefined, name: string): number | undefined {
  const number = wholeNumber(value, name);
  return number === undefined ? undefined : Math.max(number, 1);
}

/** How many to skip (`offset`): clamped like sizes, any whole number below 0 is 0. */
export function offsetParam(value: string | null | undefined, name: string): number | undefined {
  const number = wholeNumber(value, name);
  return number === undefined ? undefined : Math.max(number, 0);
}
