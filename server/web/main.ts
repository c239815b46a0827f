/**
 * The web process: Next.js (admin UI, tRPC, SDK bundles, pages) behind a plain Node HTTP
 * server that hands the public REST API (`/v3/…`) straight to its handler. Next's request
 * pipeline costs about 4 ms per request on a small machine, which is most of the platform's
 * own share of a `runWithResult` call (docs/benchmarks.md); the REST API needs none of it.
 * The same handler is also mounted as a Next route (app/v3), so `next dev` serves the API too.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';

import { EXIT_CONFIG, startupExitCode } from '../config-error';
import { env } from '../env';
import { logger } from '../log';
import { listen, listenProblem } from './listen';
import { sendFetchResponse, toFetchRequest } from './node-fetch-bridge';

// As `next start` does: React, Next and our modules read NODE_ENV when they load, so it is set
// before any of them (the REST handler and Next are imported below, once this has run).
if (process.env.NODE_ENV === undefined) Object.assign(process.env, { NODE_ENV: 'production' });

const REST_PATH = /^\/v3\//;
const log = logger.child({ component: 'web' });

type RestHandler = (request: Request) => Promise<Response>;

async function serveRest(
  handleRest: RestHandler,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  // handleRest answers every error of its own; only a request Node could not describe is left.
  const response = await handleRest(toFetchRequest(req)).catch(
    () => new Response(null, { status: 400 }),
  );
  await sendFetchResponse(response, req, res).catch((error: unknown) => {
    // The client went away mid-answer; nothing is left to tell it.
    log.debug({ err: error }, 'REST answer not delivered');
    res.destroy();
  });
}

interface Handlers {
  handleRest: RestHandler;
  handleNext: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
}

async function loadHandlers(port: number, hostname: string): Promise<Handlers> {
  const { handleRest } = await import('../api/rest/handler');
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  await app.prepare();
  return { handleRest, handleNext: app.getRequestHandler() };
}

async function main(): Promise<void> {
  // `--port` and `--hostname` win over PORT and HOST, as with `next start`.
  const { values } = parseArgs({ options: { port: { type: 'string' }, hostname: { type: 'string' } } });
  const port = values.port === undefined ? env().PORT : Number(values.port);
  const hostname = values.hostname ?? env().HOST;
  // The port is taken before Next prepares (seconds), so a busy one fails at once; requests
  // that arrive meanwhile wait for the handlers.
  const handlers = loadHandlers(port, hostname);
  handlers.catch(() => undefined); // awaited below; a listen error may come first
  const server = http.createServer((req, res) => {
    void handlers.then(({ handleRest, handleNext }) => {
      if (REST_PATH.test(req.url ?? '')) return serveRest(handleRest, req, res);
      return handleNext(req, res);
    });
  });
  try {
    await listen(server, port, hostname);
  } catch (error) {
    const problem = listenProblem(error, port, hostname);
    if (!problem) throw error;
    log.fatal({ port, hostname, code: (error as NodeJS.ErrnoException).code }, problem);
    process.exit(EXIT_CONFIG);
  }
  await handlers;
  log.info({ port, hostname }, 'web process listening');
  const stop = () => {
    // Finish the requests in flight, then leave; a stuck connection does not hold us up long.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'the web process could not start');
  process.exit(startupExitCode(error));
});
