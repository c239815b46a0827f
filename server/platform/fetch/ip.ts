import { isIP } from 'node:net';

/**
 * IP addresses and CIDR ranges as numbers, so range checks are plain arithmetic. IPv4-mapped
 * IPv6 addresses (`::ffff:127.0.0.1`) are read as the IPv4 address they are.
 */

export interface Ip {
  family: 4 | 6;
  value: bigint;
}

export interface Cidr extends Ip {
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;
const MAPPED_PREFIX = 0xffffn << 32n;

/** Undefined for anything that is not an IP literal (host names included). */
export function parseIp(text: string): Ip | undefined {
  // Link-local results of a lookup may carry a zone (`fe80::1%eth0`); the zone is no address.
  const address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return { family: 4, value: ipv4Value(address) };
  if (family !== 6) return undefined;
  const value = ipv6Value(address);
  if (value >> 32n === MAPPED_PREFIX >> 32n) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

/** `10.0.0.0/8`, `fc00::/7`, or a single address (a range of one). */
export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText, ...rest] = text.split('/');
  const ip = parseIp(address);
  if (!ip || rest.length > 0) return undefined;
  if (prefixText === undefined) return { ...ip, prefix: BITS[ip.family] };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  // The prefix counts bits of the address as written: 128 for IPv6, mapped IPv4 included.
  const written = isIP(address.replace(/^\[|\]$/g, '')) === 6 ? 6 : 4;
  const prefix = Number(prefixText);
  if (prefix > BITS[written]) return undefined;
  // An IPv4-mapped range (`::ffff:10.0.0.0/104`) is the IPv4 range it maps.
  const adjusted = written === 6 && ip.family === 4 ? prefix - 96 : prefix;
  return adjusted < 0 ? undefined : { ...ip, prefix: adjusted };
}

export function inCidr(ip: Ip, cidr: Cidr): boolean {
  if (ip.family !== cidr.family) return false;
  const shift = BigInt(BITS[ip.family] - cidr.prefix);
  return ip.value >> shift === cidr.value >> shift;
}

export function formatIp(ip: Ip): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join('.');
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) {
    groups.push(((ip.value >> shift) & 0xffffn).toString(16));
  }
  return groups.join(':');
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

/** Expects text `isIP` accepted as IPv6, so only well-formed input arrives here. */
function ipv6Value(address: string): bigint {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = ipv4Value(dotted[1]);
    const high = (v4 >> 16n).toString(16);
    text = `${text.slice(0, dotted.index)}${high}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const zeros = Array<string>(tail === undefined ? 0 : missing).fill('0');
  const groups = [...headGroups, ...zeros, ...tailGroups];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}
