import { describe, expect, it } from 'vitest';

import { blockedKind } from './address-policy';
import { parseAllowList, fetchConfigFromEnv } from './config';
import { formatIp, inCidr, parseCidr, parseIp } from './ip';
import { withArticle } from './target';

function kind(address: string): string | undefined {
  const ip = parseIp(address);
  if (!ip) throw new Error(`not an IP: ${address}`);
  return blockedKind(ip);
}

describe('[FETCH]: IP parsing', () => {
  it('reads IPv4, IPv6 and IPv4-mapped IPv6 literals', () => {
    expect(parseIp('127.0.0.1')).toEqual({ family: 4, value: 0x7f000001n });
    expect(parseIp('[::1]')).toEqual({ family: 6, value: 1n });
    expect(parseIp('::ffff:10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseIp('::ffff:a9fe:a9fe')).toEqual({ family: 4, value: 0xa9fea9fen });
    expect(parseIp('fe80::1%eth0')).toEqual({ family: 6, value: 0xfe80n << 112n | 1n });
    expect(parseIp('localhost')).toBeUndefined();
    expect(parseIp('1.2.3')).toBeUndefined();
  });

  it('formats addresses for connecting', () => {
    for (const text of ['8.8.8.8', '2606:4700:0:0:0:0:0:1111', '0:0:0:0:0:0:0:1']) {
      const ip = parseIp(text);
      expect(ip && formatIp(ip)).toBe(text);
    }
    const expanded = parseIp('2001:db8::ffff:1.2.3.4');
    expect(expanded && formatIp(expanded)).toBe('2001:db8:0:0:0:ffff:102:304');
  });

  it('matches CIDR ranges, mapped ranges included', () => {
    const range = parseCidr('10.0.0.0/8');
    const inside = parseIp('10.255.0.1');
    const outside = parseIp('11.0.0.1');
    if (!range || !inside || !outside) throw new Error('parse failed');
    expect(inCidr(inside, range)).toBe(true);
    expect(inCidr(outside, range)).toBe(false);
    expect(parseCidr('::ffff:10.0.0.0/104')).toEqual({ ...range });
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ prefix: 0 });
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/x', 'a.b/8', '1.2.3.4/8/9']) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });
});

describe('[FETCH]: blocked addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.100.100.200', 'shared (CGNAT)'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'private (unique local)'],
    ['fc00::1', 'private (unique local)'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local (cloud metadata)'],
    ['64:ff9b::a9fe:a9fe', 'link-local (cloud metadata), as 169.254.169.254 inside IPv6'],
    ['2002:7f00:1::', 'loopback, as 127.0.0.1 inside IPv6'],
    ['::7f00:1', 'loopback, as 127.0.0.1 inside IPv6'],
  ])('%s is %s', (address, expected) => {
    expect(kind(address)).toBe(expected);
  });

  it('lets public addresses through', () => {
    const publicAddresses = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700::1111'];
    publicAddresses.push('64:ff9b::808:808');
    for (const address of publicAddresses) expect(kind(address)).toBeUndefined();
  });
});

describe('[FETCH]: settings', () => {
  it('reads host names, addresses and ranges to allow', () => {
    const allow = parseAllowList(' 127.0.0.1, ::1 ,Intranet.Example., 10.1.0.0/16,');
    expect([...allow.hosts]).toEqual(['intranet.example']);
    expect(allow.cidrs.map((cidr) => cidr.prefix)).toEqual([32, 128, 16]);
    expect(() => parseAllowList('127.0.0.1,http://x')).toThrow(/"http:\/\/x" is not a host name/);
  });

  it('has defaults and refuses bad numbers', () => {
    expect(fetchConfigFromEnv({})).toMatchObject({ timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024 });
    expect(() => fetchConfigFromEnv({ ACTIONS_FETCH_TIMEOUT_MS: '-5' })).toThrow(
      /Invalid fetch settings: ACTIONS_FETCH_TIMEOUT_MS/,
    );
  });
});

describe('withArticle', () => {
  it('puts the right article before every kind the policy names', () => {
    const kinds = ['0.0.0.0', '10.0.0.1', '127.0.0.1', '::1', '64:ff9b::7f00:1', 'fe80::1', '::']
      .map((address) => kind(address) ?? '');
    expect(kinds.map(withArticle)).toEqual([
      'an unspecified',
      'a private',
      'a loopback',
      'a loopback',
      'a loopback, as 127.0.0.1 inside IPv6',
      'a link-local',
      'an unspecified',
    ]);
  });
});
