import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import net from 'node:net';
import { gzipSync } from 'node:zlib';

import { vi } from 'vitest';

/**
 * For the fetch tests only: an HTTP server on 127.0.0.1, and a guard on every socket connect
 * in the process that records the target and throws for anything but loopback, so a bug in
 * the fetch guard could still not send a packet to another address.
 */

export interface TestServer {
  origin: string;
  port: number;
  /** Requests seen, as `METHOD /path`. */
  requests: string[];
  /** The most /hold requests the server had open at once. */
  maxHeld(): number;
  /** Resolves when the next socket of a /slow request closes. */
  nextSlowClose(): Promise<void>;
  close(): Promise<void>;
}

const BIG = 'x'.repeat(10_000);

function route(request: http.IncomingMessage, response: http.ServerResponse, body: string): void {
  const url = new URL(request.url ?? '/', 'http://test');
  const send = (status: number, text: string, headers: http.OutgoingHttpHeaders = {}) => {
    response.writeHead(status, headers);
    response.end(text);
  };
  if (url.pathname === '/json') {
    return send(200, '{"hello":"world"}', { 'content-type': 'application/json', 'x-custom': '1' });
  }
  if (url.pathname === '/echo') {
    const echoed = { method: request.method, headers: request.headers, body };
    return send(200, JSON.stringify(echoed), { 'content-type': 'application/json' });
  }
  if (url.pathname === '/redirect') {
    const status = Number(url.searchParams.get('status') ?? 302);
    return send(status, '', { location: url.searchParams.get('to') ?? '/json' });
  }
  const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
  if (chain) {
    const left = Number(chain[1]);
    return left === 0 ? send(200, 'end') : send(302, '', { location: `/chain/${left - 1}` });
  }
  if (url.pathname === '/big') return send(200, BIG, { 'content-length': BIG.length });
  if (url.pathname === '/stream') {
    // No content-length: the size is only known while reading.
    response.writeHead(200, { 'content-type': 'text/plain' });
    for (let n = 0; n < 20; n += 1) response.write('y'.repeat(1000));
    response.end();
    return;
  }
  if (url.pathname === '/gzip' || url.pathname === '/bomb') {
    const text = url.pathname === '/gzip' ? '{"packed":true}' : '\0'.repeat(1024 * 1024);
    response.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
    response.end(gzipSync(text));
    return;
  }
  if (url.pathname === '/slow') return; // never answers
  send(404, 'not found');
}

export async function startTestServer(): Promise<TestServer> {
  const requests: string[] = [];
  const slowCloses: (() => void)[] = [];
  const sockets = new Set<Socket>();
  let held = 0;
  let maxHeld = 0;
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (request.url === '/hold') {
      held += 1;
      maxHeld = Math.max(maxHeld, held);
      setTimeout(() => {
        held -= 1;
        response.end('held');
      }, 100);
      return;
    }
    if (request.url === '/slow') {
      request.socket.once('close', () => slowCloses.shift()?.());
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => route(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (!address || typeof address === 'string') throw new Error('test server has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    maxHeld: () => maxHeld,
    nextSlowClose: () => new Promise((resolve) => slowCloses.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `host:port` of a `Socket#connect` call, whichever of its forms was used. */
function connectTarget(args: unknown[]): string {
  const [first, second] = args;
  const options: unknown = Array.isArray(first) ? first[0] : first;
  if (options && typeof options === 'object') {
    const host: unknown = Reflect.get(options, 'host');
    const port: unknown = Reflect.get(options, 'port');
    const path: unknown = Reflect.get(options, 'path');
    if (typeof path === 'string') return `unix:${path}`;
    return `${String(host)}:${String(port)}`;
  }
  return `${String(second)}:${String(first)}`;
}

const LOOPBACK = /^(127\.0\.0\.1|::1|0:0:0:0:0:0:0:1):\d+$/;

/** Installs the guard; `connects` lists every target tried since the last `clear()`. */
export function guardSockets() {
  const connects: string[] = [];
  const original = net.Socket.prototype.connect;
  const spy = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (
    this: net.Socket,
    ...args: unknown[]
  ) {
    const target = connectTarget(args);
    connects.push(target);
    if (!LOOPBACK.test(target)) throw new Error(`test guard: no connection to ${target}`);
    const socket: unknown = Reflect.apply(original, this, args);
    if (!(socket instanceof net.Socket)) throw new Error('connect returned no socket');
    return socket;
  });
  return {
    connects,
    clear: () => connects.splice(0),
    restore: () => spy.mockRestore(),
  };
}
