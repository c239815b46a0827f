import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sendFetchResponse, toFetchRequest } from './node-fetch-bridge';

// A handler that refuses large bodies without reading them, as the REST API does (413).
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const request = toFetchRequest(req);
    const large = Number(request.headers.get('content-length') ?? 0) > 1024;
    const answer = large
      ? Promise.resolve(new Response('too large', { status: 413 }))
      : request.text().then(() => new Response(null, { status: 204 }));
    void answer.then((response) => sendFetchResponse(response, req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function post(agent: http.Agent, bytes: number) {
  return new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/v3/x', agent },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        });
      },
    );
    req.on('error', reject);
    req.end(Buffer.alloc(bytes, 'a'));
  });
}

describe('REST answers over a kept-alive connection', () => {
  it('closes the connection after refusing a body it did not read, so the next call works', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await post(agent, 2 * 1024 * 1024);
      expect(refused).toEqual({ status: 413, connection: 'close' });
      for (let i = 0; i < 3; i += 1) {
        expect(await post(agent, 10)).toEqual({ status: 204, connection: 'keep-alive' });
      }
    } finally {
      agent.destroy();
    }
  });
});
