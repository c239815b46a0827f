import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';

import { AppError } from '../../errors';
import type { Target } from './target';

/**
 * One HTTP request to one checked address: no proxy, no connection pool, no redirects. The
 * socket connects to `target.address`, an IP literal, so Node makes no lookup of its own; the
 * lookup below refuses in case one were ever attempted.
 */

export interface ExchangeRequest {
  target: Target;
  method: string;
  headers: Record<string, string>;
  body: string | null;
  signal: AbortSignal;
}

export interface ExchangeResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  /** Reads the body (decompressed), refusing more than `maxBytes`. */
  read(maxBytes: number): Promise<Buffer>;
  /** Drops the body and the connection, e.g. after a redirect. */
  discard(): void;
}

const refuseLookup: LookupFunction = (hostname, _options, callback) => {
  callback(new Error(`fetch: a second lookup of ${hostname} was refused`), '', 4);
};

export function exchange(request: ExchangeRequest): Promise<ExchangeResponse> {
  const { target, method, headers, body, signal } = request;
  const secure = target.url.protocol === 'https:';
  const options: https.RequestOptions = {
    host: target.address,
    family: target.family,
    port: target.url.port || (secure ? 443 : 80),
    path: `${target.url.pathname}${target.url.search}`,
    method,
    headers: { ...headers, host: target.url.host },
    agent: false,
    lookup: refuseLookup,
    signal,
    // Certificates are checked against the name in the URL, not the address connected to.
    ...(secure && isIP(target.hostname) === 0 ? { servername: target.hostname } : {}),
  };
  return new Promise((resolve, reject) => {
    const outgoing = (secure ? https : http).request(options, (response) => {
      resolve(toResponse(response));
    });
    outgoing.on('error', reject);
    outgoing.end(body ?? undefined);
  });
}

function toResponse(response: IncomingMessage): ExchangeResponse {
  return {
    status: response.statusCode ?? 0,
    statusText: response.statusMessage ?? '',
    headers: response.headers,
    read: (maxBytes) => readBody(response, maxBytes),
    discard: () => response.destroy(),
  };
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `fetch: the response is larger than ${maxBytes} bytes`);
}

async function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  // Counted after decompression, so a small compressed body cannot unpack into a huge one.
  for await (const chunk of decoded(response)) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += bytes.length;
    if (total > maxBytes) {
      response.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return response;
  // Errors on either side end the other; the loop reading the decoder sees them.
  return pipeline(response, decoder, () => {});
}
