import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A Node request as a Fetch API Request, its body streamed, not buffered. */
export function toFetchRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const withBody = method !== 'GET' && method !== 'HEAD';
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const init: RequestInit & { duplex?: 'half' } = {
    method,
    headers,
    body: withBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: withBody ? 'half' : undefined,
  };
  return new Request(url, init);
}

/**
 * Writes a Fetch API Response to a Node response, streaming its body. An answer given before
 * the request's body was read to its end (a refusal: too large, no valid token) closes the
 * connection: the unread rest would otherwise be taken for the client's next request.
 */
export async function sendFetchResponse(
  response: Response,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (!req.complete) res.setHeader('connection', 'close');
  if (!response.body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), res);
}
