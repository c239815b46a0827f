import { randomUUID } from 'node:crypto';

import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { nextCookies } from 'better-auth/next-js';

import { db, type Database } from '../db/client';
import { accounts, authRateLimits, sessions, users, verifications } from '../db/schema';
import { env, publicUrl } from '../env';
import { logger } from '../log';
import { signInLockout } from './lockout';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords';
import { authSecret } from './secret';

const DAY_SECONDS = 24 * 60 * 60;

export interface AuthSettings {
  /** The address people open the admin app at; https there makes session cookies Secure. */
  baseUrl: string;
  secret: string;
  /** Other origins whose pages may post to /api/auth and /api/trpc (AUTH_TRUSTED_ORIGINS). */
  extraOrigins?: string[];
}

/** The settings of this process, from the environment (see docs/accounts.md). */
export function authSettingsFromEnv(): AuthSettings {
  return { ...originSettingsFromEnv(), secret: authSecret() };
}

/** The addresses part of the settings, which needs no secret (the tRPC CSRF check). */
export function originSettingsFromEnv(): Pick<AuthSettings, 'baseUrl' | 'extraOrigins'> {
  const extra = process.env.AUTH_TRUSTED_ORIGINS ?? '';
  return {
    baseUrl: publicUrl(),
    extraOrigins: extra
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
}

/**
 * Origins allowed to send state-changing requests with the session cookie: the public address,
 * and the same port on loopback, since self-hosters open http://localhost or http://127.0.0.1.
 */
export function trustedOrigins(settings: Pick<AuthSettings, 'baseUrl' | 'extraOrigins'>) {
  const base = new URL(settings.baseUrl);
  const port = base.port || String(env().PORT);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].map((host) => `http://${host}:${port}`);
  return [...new Set([base.origin, ...loopback, ...(settings.extraOrigins ?? [])])];
}

/** better-auth over our Postgres tables: email + password, sessions in the database. */
export function createAuth(database: Database, settings: AuthSettings) {
  return betterAuth({
    appName: 'App Actions',
    baseURL: settings.baseUrl,
    basePath: '/api/auth',
    secret: settings.secret,
    trustedOrigins: trustedOrigins(settings),
    database: drizzleAdapter(database, {
      provider: 'pg',
      schema: { users, sessions, accounts, verifications, authRateLimits },
    }),
    user: { modelName: 'users' },
    session: { modelName: 'sessions', expiresIn: 7 * DAY_SECONDS, updateAge: DAY_SECONDS },
    account: { modelName: 'accounts' },
    verification: { modelName: 'verifications' },
    emailAndPassword: {
      enabled: true,
      // Admins create accounts (Settings → Users); nobody signs themselves up.
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      password: { hash: hashPassword, verify: verifyPassword },
    },
    rateLimit: {
      // better-auth limits only in production by default; sign-in is guarded everywhere.
      enabled: true,
      storage: 'database',
      modelName: 'authRateLimits',
      window: 60,
      max: 100,
      customRules: { '/sign-in/email': { window: 60, max: 10 } },
    },
    advanced: {
      useSecureCookies: new URL(settings.baseUrl).protocol === 'https:',
      // better-auth skips its origin checks under NODE_ENV=test; tests check the real thing.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      cookiePrefix: 'app-actions',
      database: { generateId: () => randomUUID() },
    },
    hooks: signInLockout(database),
    telemetry: { enabled: false },
    logger: {
      log: (level, message, ...args) => {
        logger.child({ component: 'auth' })[level]({ detail: args.map(String) }, message);
      },
    },
    // Last, as better-auth asks: forwards cookies set by auth.api calls in route handlers.
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

let shared: Auth | undefined;

/** The process-wide instance, on the shared pool; built on first use, not at import. */
export function auth(): Auth {
  shared ??= createAuth(db(), authSettingsFromEnv());
  return shared;
}
