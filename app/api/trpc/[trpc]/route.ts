import { fetchRequestHandler } from '@trpc/server/adapters/fetch';

import { db } from '@/server/db/client';
import { appRouter } from '@/server/api/root';

export const dynamic = 'force-dynamic';

function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: () => ({ db: db() }),
  });
}

export { handler as GET, handler as POST };
