import type { z } from 'zod';

import type { AppLogOrigin } from '../app-log';
import { parseInput } from '../datasources/validate';
import type { HostMethod, PlatformScope } from '../types';

/**
 * Shared by the packages in communicate, notifications, media, csv, encryption and fetch: the
 * way a host method checks its arguments before it does anything. It lives here only because
 * those folders are where this work may go; it belongs in `server/platform/`.
 */

/** Who a package call acts for, as the services (usable outside runs too) take it. */
export interface PackageActor {
  appId: number;
  organizationId: number;
  /**
   * Set when an action run makes the call; passed on to the app log writer, and its run id is
   * kept with the messages and notifications the run created (the Outbox page links to it).
   */
  origin?: AppLogOrigin;
}

export function actorOf(scope: PlatformScope): PackageActor {
  return {
    appId: scope.appId,
    organizationId: scope.organizationId,
    origin: { runId: scope.runId, chainDepth: scope.chainDepth },
  };
}

/**
 * A host method that checks its arguments (a BAD_REQUEST names the method and the argument at
 * fault), then runs unless the run has already ended. `label` is how the action calls it,
 * e.g. `Media.Files.upload`.
 */
export function hostMethod<T extends unknown[]>(
  label: string,
  argumentNames: readonly string[],
  schema: z.ZodType<T>,
  run: (args: T, signal: AbortSignal) => Promise<unknown>,
): HostMethod {
  return async (args, signal) => {
    const checked = parseInput(schema, args, label, argumentNames);
    signal.throwIfAborted();
    // Calls cross as JSON: "no result" must be null, not undefined.
    return (await run(checked, signal)) ?? null;
  };
}
