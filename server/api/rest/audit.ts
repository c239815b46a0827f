import { NOT_AUDITED, restAudit } from '../../audit/events';
import { recordAudit } from '../../audit/trail';
import { db } from '../../db/client';
import type { TokenPrincipal } from '../auth';

/**
 * Runs a REST handler and, when it succeeded and its route is listed in
 * server/audit/events.ts, records the audit row with the token as actor.
 */
export async function withRestAudit(
  route: { method: string; path: string },
  params: Record<string, string>,
  principal: TokenPrincipal,
  run: () => Promise<Response>,
): Promise<Response> {
  const response = await run();
  const rule = restAudit[`${route.method} ${route.path}`];
  if (!rule || rule === NOT_AUDITED || !response.ok) return response;
  const result: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  const { organizationId, appId } = principal.access;
  const scope = { organizationId, appId };
  await recordAudit(db(), rule, { input: params, result }, scope, principal.actor);
  return response;
}
