import { asc, eq } from 'drizzle-orm';

import { createDatabase, type Database } from '../server/db/client';
import { apps, appLogs, organizations } from '../server/db/schema';
import { logger } from '../server/log';
import { createBridge, preludesFor } from '../server/platform/registry';
import type { HostMethod, PlatformPackage, PlatformScope } from '../server/platform/types';
import { executeInIsolate } from '../server/runner/sandbox/executor';
import type { SandboxOutcome } from '../server/runner/sandbox/types';
import { createTestDatabase } from './harness';

/**
 * For tests of the platform packages: a fresh database with apps to act for, a way to call a
 * package's host methods as a run would, and real isolates running action code through the
 * registry's preludes and bridge.
 */

export interface PlatformTestDatabase {
  db: Database;
  /** A new organization with one app, and the scope of a run in it. */
  newScope(): Promise<PlatformScope>;
  /** App log events of one app, oldest first. */
  appLogsOf(appId: number): Promise<(typeof appLogs.$inferSelect)[]>;
  drop(): Promise<void>;
}

let runCount = 0;

export async function createPlatformTestDatabase(): Promise<PlatformTestDatabase> {
  const test = await createTestDatabase();
  const db = createDatabase(test.url, { max: 4 });
  return {
    db,
    newScope: async () => {
      const [organization] = await db.insert(organizations).values({ name: 'Org' }).returning();
      if (!organization) throw new Error('organization insert returned no row');
      const [app] = await db
        .insert(apps)
        .values({ name: 'App', organizationId: organization.id })
        .returning();
      if (!app) throw new Error('app insert returned no row');
      runCount += 1;
      return {
        appId: app.id,
        organizationId: organization.id,
        db,
        logger,
        runId: `00000000-0000-4000-8000-${String(runCount).padStart(12, '0')}`,
        chainDepth: 0,
      };
    },
    appLogsOf: async (appId) => {
      return db.select().from(appLogs).where(eq(appLogs.appId, appId)).orderBy(asc(appLogs.id));
    },
    drop: async () => {
      await db.$client.end();
      await test.drop();
    },
  };
}

/** Calls one host method the way the bridge does, with a signal that never aborts. */
export function callHost(
  pkg: PlatformPackage,
  scope: PlatformScope,
  method: string,
  args: unknown[],
  signal: AbortSignal = new AbortController().signal,
): Promise<unknown> {
  const methods: Record<string, HostMethod> = pkg.host(scope);
  const host = methods[method];
  if (!host) throw new Error(`${pkg.namespace}.${method} does not exist`);
  // Arguments cross as JSON, so the test sends them that way too.
  const wire: unknown = JSON.parse(JSON.stringify(args));
  return host(Array.isArray(wire) ? wire : [], signal);
}

/** Runs action code (which defines `execute`) in a real isolate with the given dependencies. */
export function runAction(
  scope: PlatformScope,
  code: string,
  dependencies: string[],
  options: { timeoutMs?: number; payload?: unknown } = {},
): Promise<SandboxOutcome> {
  return executeInIsolate(
    {
      code,
      payload: options.payload ?? {},
      timeoutMs: options.timeoutMs ?? 10_000,
      memoryMb: 64,
      preludes: preludesFor(dependencies),
    },
    createBridge(scope, dependencies),
  );
}

/** The outcome's result, or a thrown Error carrying the run's error message. */
export function resultOf(outcome: SandboxOutcome): unknown {
  if (!outcome.ok) throw new Error(`run failed: ${outcome.error.name}: ${outcome.error.message}`);
  return outcome.result;
}
