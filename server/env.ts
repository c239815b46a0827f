import path from 'node:path';
import { z } from 'zod';

import { ConfigError } from './config-error';

const intFrom = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().default('./.data'),
  PORT: intFrom(3000),
  HOST: z.string().default('127.0.0.1'),
  EMBEDDED_PG_PORT: intFrom(5488),
  DEV_API_TOKEN: z.string().min(1).optional(),
  ACTIONS_MEMORY_MB: intFrom(128),
  ACTIONS_SERVER_TIMEOUT_MS: intFrom(120_000),
  ACTIONS_CLIENT_TIMEOUT_MS: intFrom(30_000),
  /** Runs one runner process has in flight at once. */
  RUNNER_CONCURRENCY: intFrom(2),
  /**
   * Sandbox child processes per runner (default: RUNNER_CONCURRENCY). Fewer lets a run's child
   * serve another run while the first is on the database, but a run waiting for a child already
   * holds its lease (see docs/runner.md).
   */
  RUNNER_SANDBOXES: z.coerce.number().int().positive().optional(),
  /** Largest accepted run payload, in bytes of JSON. */
  ACTIONS_MAX_PAYLOAD_BYTES: intFrom(1024 * 1024),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Reads and checks the environment once; a bad value stops the process with a clear message. */
export function env(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function dataDir(): string {
  return path.resolve(env().DATA_DIR);
}

/** The address the product is reached at, used in absolute URLs such as action assets. */
export function publicUrl(): string {
  return process.env.PUBLIC_URL ?? `http://localhost:${env().PORT}`;
}
