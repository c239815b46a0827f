import { fetchRequestHandler } from '@trpc/server/adapters/fetch';

import { refuseCrossSiteMutation } from '@/server/api/csrf';
import { createRequestContext } from '@/server/api/context';
import { appRouter } from '@/server/api/root';
import { db } from '@/server/db/client';

export const dynamic = 'force-dynamic';

function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: () => createRequestContext(db(), request.headers),
  });
}

async function post(request: Request) {
  return refuseCrossSiteMutation(request) ?? handler(request);
}

export { handler as GET, post as POST };
