import { logger } from '@/server/log';
import { runtimeBundle } from '@/server/sdk/runtime/bundle';

export const dynamic = 'force-dynamic';

/** The browser runtime (`Fliplet.App.V3.Actions`, `Fliplet.App.Analytics`); see docs. */
export async function GET(request: Request): Promise<Response> {
  try {
    const { code, etag } = await runtimeBundle();
    const headers = {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      etag,
    };
    if (request.headers.get('if-none-match') === etag) {
      return new Response(null, { status: 304, headers });
    }
    return new Response(code, { headers });
  } catch (error) {
    logger.error({ err: error }, 'could not build the browser runtime');
    return new Response('/* The runtime could not be built; see the server log */', {
      status: 500,
      headers: { 'content-type': 'text/javascript; charset=utf-8' },
    });
  }
}
