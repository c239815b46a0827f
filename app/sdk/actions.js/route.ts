import { browserBundle } from '@/server/sdk/bundle';
import { serveBundle } from '@/server/sdk/serve-bundle';

export const dynamic = 'force-dynamic';

/** The browser SDK (`window.Fliplet.App.V3.Actions`); see server/sdk/bundle.ts. */
export function GET(request: Request): Promise<Response> {
  return serveBundle(request, browserBundle, 'SDK');
}
