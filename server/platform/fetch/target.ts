import { lookup } from 'node:dns/promises';

import { AppError } from '../../errors';
import { blockedKind } from './address-policy';
import { normalizeHostName, type AllowList } from './config';
import { formatIp, inCidr, parseIp, type Ip } from './ip';

/**
 * Turns a URL into the one IP address the request will connect to, after checking it. The
 * connection then goes to that address and nowhere else (no second lookup), so a name that
 * answers differently the next time (DNS rebinding) cannot move the request somewhere else.
 */

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** The system resolver (hosts file, then DNS), every address it knows. */
export const systemResolver: Resolver = (hostname) =>
  lookup(hostname, { all: true, verbatim: true });

export interface Target {
  url: URL;
  /** The host name without IPv6 brackets, for TLS; an IP literal stays as it is. */
  hostname: string;
  /** What to connect to: always an IP literal. */
  address: string;
  family: 4 | 6;
}

/** Names that lead to a cloud metadata service, refused before any lookup is made. */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

const ALLOW_HINT = 'an administrator can allow it with ACTIONS_FETCH_ALLOW';

export function refused(url: URL, why: string): AppError {
  const origin = `${url.protocol}//${url.host}`;
  return new AppError('FORBIDDEN', `fetch: ${origin} is not reachable from actions: ${why}`);
}

export function checkUrl(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const message = `fetch: only http and https URLs are supported, not ${url.protocol}`;
    throw new AppError('BAD_REQUEST', message);
  }
  if (url.username !== '' || url.password !== '') {
    const message = 'fetch: a URL cannot include credentials; send an Authorization header';
    throw new AppError('BAD_REQUEST', message);
  }
}

export async function resolveTarget(
  url: URL,
  allow: AllowList,
  resolve: Resolver,
): Promise<Target> {
  checkUrl(url);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const literal = parseIp(hostname);
  if (literal) return { url, hostname, ...checked(url, literal, allow) };

  const name = normalizeHostName(hostname);
  const allowedByName = allow.hosts.has(name);
  if (!allowedByName && METADATA_NAMES.has(name)) {
    throw refused(url, `it is a metadata service; ${ALLOW_HINT}`);
  }

  const addresses = await resolveAll(url, hostname, resolve);
  const kinds: string[] = [];
  for (const ip of addresses) {
    const kind = allowedByName || isAllowed(ip, allow) ? undefined : blockedKind(ip);
    if (!kind) return { url, hostname, address: formatIp(ip), family: ip.family };
    kinds.push(kind);
  }
  // The addresses themselves are not named: they would tell an action about internal DNS.
  const found = [...new Set(kinds)].join(', ');
  throw refused(url, `its name points only at ${found} addresses; ${ALLOW_HINT}`);
}

function checked(url: URL, ip: Ip, allow: AllowList): { address: string; family: 4 | 6 } {
  const kind = isAllowed(ip, allow) ? undefined : blockedKind(ip);
  if (kind) throw refused(url, `${formatIp(ip)} is ${withArticle(kind)} address; ${ALLOW_HINT}`);
  return { address: formatIp(ip), family: ip.family };
}

/** "a loopback", "an unspecified": the kinds are plain English words, so a vowel is enough. */
export function withArticle(kind: string): string {
  return `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`;
}

function isAllowed(ip: Ip, allow: AllowList): boolean {
  return allow.cidrs.some((cidr) => inCidr(ip, cidr));
}

async function resolveAll(url: URL, hostname: string, resolve: Resolver): Promise<Ip[]> {
  let answers: { address: string }[];
  try {
    answers = await resolve(hostname);
  } catch (error) {
    const message = `fetch: the host name ${url.hostname} could not be resolved`;
    throw new AppError('BAD_REQUEST', message, { cause: error });
  }
  const addresses = answers.flatMap((answer) => parseIp(answer.address) ?? []);
  if (addresses.length === 0) {
    throw new AppError('BAD_REQUEST', `fetch: the host name ${url.hostname} has no address`);
  }
  return addresses;
}
