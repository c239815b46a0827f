import pino from 'pino';

/**
 * The platform's structured logger. User payloads, results and secrets are never logged here:
 * they belong to the run log that the app's owners read.
 */
export const logger = pino({
  name: process.env.APP_PROCESS_NAME ?? 'app-actions',
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  redact: ['req.headers["auth-token"]', 'token', 'password'],
});

export type Logger = typeof logger;
