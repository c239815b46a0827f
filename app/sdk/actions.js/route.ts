import { logger } from '@/server/log';
import { browserBundle } from '@/server/sdk/bundle';

export const dynamic = 'force-dynamic';

/** The browser SDK (`window.Fliplet.App.V3.Actions`); see server/sdk/bundle.ts. */
export async function GET(request: Request): Promise<Response> {
  try {
    const { code, etag } = await browserBundle();
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
    logger.error({ err: error }, 'could not build the browser SDK');
    return new Response('/* The SDK could not be built; see the server log */', {
      status: 500,
      headers: { 'content-type': 'text/javascript; charset=utf-8' },
    });
  }
}
