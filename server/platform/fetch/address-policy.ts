import { formatIp, inCidr, parseCidr, type Cidr, type Ip } from './ip';

/**
 * Which addresses an action's `fetch` may never reach unless an administrator allows them:
 * everything that is not the public internet. Each range says why, for the refusal message.
 */

interface Range {
  cidr: Cidr;
  kind: string;
}

function builtInCidr(text: string): Cidr {
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`bad built-in range ${text}`);
  return cidr;
}

function ranges(list: [string, string][]): Range[] {
  return list.map(([text, kind]) => ({ cidr: builtInCidr(text), kind }));
}

const blockedRanges = ranges([
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  // 169.254.169.254 is the metadata service of most clouds.
  ['169.254.0.0/16', 'link-local (cloud metadata)'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved (IETF)'],
  ['192.0.2.0/24', 'documentation'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['100::/64', 'discard'],
  ['2001:db8::/32', 'documentation'],
  // fd00:ec2::254 (an IPv6 metadata address) is in here.
  ['fc00::/7', 'private (unique local)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
]);

/**
 * IPv6 ranges that carry an IPv4 address inside them (NAT64, 6to4, the old IPv4-compatible
 * form): they are judged by that IPv4 address, so `64:ff9b::7f00:1` counts as loopback.
 */
const embeddings: [string, bigint][] = [
  ['64:ff9b::/96', 0n],
  ['64:ff9b:1::/48', 0n],
  ['::/96', 0n],
  // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD in bits 16 to 48.
  ['2002::/16', 80n],
];
const embeddingRanges = embeddings.map(([text, shift]) => ({ cidr: builtInCidr(text), shift }));

/** Why the address is refused, e.g. `loopback`; undefined for a public address. */
export function blockedKind(ip: Ip): string | undefined {
  const direct = blockedRanges.find((range) => inCidr(ip, range.cidr));
  if (direct) return direct.kind;
  if (ip.family !== 6) return undefined;
  for (const { cidr, shift } of embeddingRanges) {
    if (!inCidr(ip, cidr)) continue;
    const inner: Ip = { family: 4, value: (ip.value >> shift) & 0xffffffffn };
    const kind = blockedKind(inner);
    if (kind) return `${kind}, as ${formatIp(inner)} inside IPv6`;
  }
  return undefined;
}
