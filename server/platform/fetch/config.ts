import { z } from 'zod';

import { readSettings } from '../communicate/settings';
import { parseCidr, type Cidr } from './ip';

/**
 * Settings of the guarded `fetch`, from the environment:
 * - `ACTIONS_FETCH_TIMEOUT_MS`: one whole fetch, redirects and body included (default 10 s);
 * - `ACTIONS_FETCH_MAX_BYTES`: largest response body, after decompression (default 5 MB);
 * - `ACTIONS_FETCH_ALLOW`: comma-separated host names, IPs and CIDRs that are reachable even
 *   though they are private, loopback, link-local, … (e.g. `127.0.0.1,::1,intranet.local`).
 */

export interface AllowList {
  /** Lower-case host names, without a trailing dot. */
  hosts: ReadonlySet<string>;
  cidrs: readonly Cidr[];
}

export interface FetchConfig {
  timeoutMs: number;
  maxBytes: number;
  allow: AllowList;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_][a-z0-9_-]{0,62})*$/;

const envSchema = z.object({
  ACTIONS_FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  ACTIONS_FETCH_MAX_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  ACTIONS_FETCH_ALLOW: z.string().default(''),
});

export function normalizeHostName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export function parseAllowList(text: string): AllowList {
  const hosts = new Set<string>();
  const cidrs: Cidr[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(cidr);
    else if (HOST_NAME.test(normalizeHostName(entry))) hosts.add(normalizeHostName(entry));
    else throw new Error(`ACTIONS_FETCH_ALLOW: "${entry}" is not a host name, IP address or CIDR`);
  }
  return { hosts, cidrs };
}

/** Read on every fetch, so a bad setting fails the fetches, not every run. */
export function fetchConfigFromEnv(
  environment: Record<string, string | undefined> = process.env,
): FetchConfig {
  const settings = readSettings(envSchema, 'fetch', environment);
  return {
    timeoutMs: settings.ACTIONS_FETCH_TIMEOUT_MS,
    maxBytes: settings.ACTIONS_FETCH_MAX_BYTES,
    allow: parseAllowList(settings.ACTIONS_FETCH_ALLOW),
  };
}
