import { runtimeBundle } from '@/server/sdk/runtime/bundle';
import { serveBundle } from '@/server/sdk/serve-bundle';

export const dynamic = 'force-dynamic';

/** The browser runtime (`Fliplet.App.V3.Actions`, `Fliplet.App.Analytics`); see docs. */
export function GET(request: Request): Promise<Response> {
  return serveBundle(request, runtimeBundle, 'runtime');
}
