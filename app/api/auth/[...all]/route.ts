import { toNextJsHandler } from 'better-auth/next-js';

import { auth } from '@/server/auth/auth';

export const dynamic = 'force-dynamic';

/** better-auth's endpoints: sign-in, sign-out, session. Built on first request, not at build. */
function handler(request: Request): Promise<Response> {
  return auth().handler(request);
}

export const { GET, POST } = toNextJsHandler(handler);
