import { createHash } from 'node:crypto';

import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';

import { V3 } from '../../actions/service';
import type { ActionRow } from '../../actions/shape';
import type { Trigger } from '../../actions/validate';
import type { Db } from '../../db/client';
import { actions } from '../../db/schema';
import { env } from '../../env';
import type { RunVersion } from '../../runs/job';
import { hasAnalyticsTrigger } from '../../triggers/analytics';
import { browserPreludesFor } from './browser-preludes';

/** An action a browser may run, with what it needs to run it. */
export interface ClientAction {
  /** The row that runs: the master, or the production copy for `version: production`. */
  id: number;
  masterId: number;
  name: string;
  environment: 'client' | 'any';
  triggers: Trigger[];
  dependencies: string[];
  code: string;
  /** Names the run log uses for the exact code that ran (same scheme as the runner's). */
  codeHash: string;
  /** Keys of `preludes` in the catalogue, in load order. */
  preludes: string[];
}

/** What `GET /v3/apps/:appId/client-actions` answers; the browser runtime loads it once. */
export interface ClientCatalogue {
  appId: number;
  version: RunVersion;
  /** ACTIONS_CLIENT_TIMEOUT_MS: a page may lower it, never raise it. */
  clientTimeoutMs: number;
  /** ACTIONS_MAX_PAYLOAD_BYTES, so the page refuses what the server would refuse to log. */
  maxPayloadBytes: number;
  actions: ClientAction[];
  /** Prelude sources by name, each sent once however many actions list it. */
  preludes: Record<string, string>;
}

/** The runner's scheme for `code_versions.hash` (run-task.ts): sha256 of [code, dependencies]. */
export function codeHashOf(code: string, dependencies: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([code, dependencies])).digest('hex');
}

/**
 * Which of an app's active actions go to browsers: every `client` action, and `any` actions
 * with an analytics trigger (analytics runs happen only in the browser). Other `any` actions
 * run on the server when called, so their code is not sent to app users.
 */
function runsInBrowser(row: ActionRow): boolean {
  if (row.environment === 'client') return true;
  return row.environment === 'any' && hasAnalyticsTrigger(row.triggers);
}

export async function loadClientCatalogue(
  db: Db,
  appId: number,
  version: RunVersion,
): Promise<ClientCatalogue> {
  const rows = await db
    .select()
    .from(actions)
    .where(
      and(
        eq(actions.appId, appId),
        version === 'master' ? isNull(actions.masterId) : isNotNull(actions.masterId),
        eq(actions.active, true),
        eq(actions.actionVersion, V3),
        inArray(actions.environment, ['client', 'any']),
      ),
    )
    .orderBy(actions.id);
  const preludes: Record<string, string> = {};
  const list = rows.filter(runsInBrowser).map((row): ClientAction => {
    const loaded = browserPreludesFor(row.dependencies);
    for (const prelude of loaded) preludes[prelude.name] = prelude.source;
    return {
      id: row.id,
      masterId: row.masterId ?? row.id,
      name: row.name,
      environment: row.environment === 'client' ? 'client' : 'any',
      triggers: row.triggers as Trigger[],
      dependencies: row.dependencies,
      code: row.code,
      codeHash: codeHashOf(row.code, row.dependencies),
      preludes: loaded.map((prelude) => prelude.name),
    };
  });
  const { ACTIONS_CLIENT_TIMEOUT_MS, ACTIONS_MAX_PAYLOAD_BYTES } = env();
  return {
    appId,
    version,
    clientTimeoutMs: ACTIONS_CLIENT_TIMEOUT_MS,
    maxPayloadBytes: ACTIONS_MAX_PAYLOAD_BYTES,
    actions: list,
    preludes,
  };
}
