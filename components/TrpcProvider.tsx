'use client';

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState, type ReactNode } from 'react';

import type { AppRouter } from '@/server/api/root';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** Sent with every call; the server refuses mutations without it (server/api/csrf.ts). */
const CSRF_HEADERS = { 'x-app-actions-csrf': '1' };

/** A call refused because the session ended: back to the sign-in form, then here again. */
function signInAgainIfSignedOut(error: unknown) {
  if (!(error instanceof TRPCClientError)) return;
  const data: unknown = error.data;
  const code = typeof data === 'object' && data !== null && 'code' in data ? data.code : null;
  if (code !== 'UNAUTHORIZED' || window.location.pathname === '/login') return;
  const next = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/login?next=${encodeURIComponent(next)}`);
}

export function TrpcProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 5_000, retry: false } },
        queryCache: new QueryCache({ onError: signInAgainIfSignedOut }),
        mutationCache: new MutationCache({ onError: signInAgainIfSignedOut }),
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: '/api/trpc', headers: CSRF_HEADERS })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
