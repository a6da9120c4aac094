import { describe, expect, it } from 'vitest';
import { createAddressGuard } from '../../shared/webhooks/address-guard.js';

const REFUSED: ReadonlyArray<[string, string]> = [
  ['127.0.0.1', 'IPv4 loopback'],
  ['127.1.2.3', 'IPv4 loopback, not .0.0.1'],
  ['::1', 'IPv6 loopback'],
  ['[::1]', 'IPv6 loopback in URL brackets'],
  ['::', 'IPv6 unspecified'],
  ['0.0.0.0', 'IPv4 unspecified (reaches the local host)'],
  ['10.1.2.3', '10/8'],
  ['172.16.0.1', 'bottom of 172.16/12'],
  ['172.31.255.255', 'top of 172.16/12'],
  ['192.168.1.1', '192.168/16'],
  ['169.254.169.254', 'link-local, the usual metadata address'],
  ['100.100.100.200', 'Alibaba Cloud metadata'],
  ['100.64.0.1', 'CGNAT 100.64/10'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback, dotted'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
  ['0:0:0:0:0:ffff:127.0.0.1', 'IPv4-mapped loopback, long form'],
  ['::ffff:10.0.0.1', 'IPv4-mapped private'],
  ['fd00::1', 'unique local fc00::/7'],
  ['fe80::1', 'IPv6 link-local'],
  ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
  ['2002:7f00:1::', '6to4 of 127.0.0.1'],
  ['fd00:ec2::254', 'AWS IPv6 metadata'],
  ['224.0.0.1', 'multicast'],
  ['ff02::1', 'IPv6 multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved 240/4'],
  ['198.18.0.1', 'benchmarking 198.18/15'],
  ['192.0.2.1', 'TEST-NET-1'],
  ['2001:db8::1', 'IPv6 documentation'],
  ['::ffff:0:7f00:1', 'IPv4-translated (RFC 6145) loopback'],
  ['::ffff:0:a9fe:a9fe', 'IPv4-translated (RFC 6145) 169.254.169.254'],
  ['::ffff:0:10.0.0.1', 'IPv4-translated private, dotted'],
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo of 127.0.0.1'],
  ['100::1', 'IPv6 discard-only'],
  ['192.88.99.1', '6to4 relay anycast'],
];

const ALLOWED: ReadonlyArray<[string, string]> = [
  ['8.8.8.8', 'public DNS'],
  ['1.1.1.1', 'public DNS'],
  ['2606:4700:4700::1111', 'public IPv6'],
  ['172.32.0.1', 'just above 172.16/12'],
  ['172.15.255.255', 'just below 172.16/12'],
  ['100.128.0.1', 'just above 100.64/10'],
  ['100.63.255.255', 'just below 100.64/10'],
  ['11.0.0.1', 'just above 10/8'],
  ['::ffff:8.8.8.8', 'IPv4-mapped public'],
  ['47.96.0.1', 'an Alibaba Cloud public address'],
];

describe('createAddressGuard with no allow-list', () => {
  const guard = createAddressGuard({ allowedCidrs: [] });

  it('has a table of at least 20 refused and 5 allowed addresses', () => {
    expect(REFUSED.length).toBeGreaterThanOrEqual(20);
    expect(ALLOWED.length).toBeGreaterThanOrEqual(5);
  });

  it.each(REFUSED)('refuses %s (%s)', (address) => {
    const verdict = guard(address);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason.length).toBeGreaterThan(0);
  });

  it.each(ALLOWED)('allows %s (%s)', (address) => {
    expect(guard(address)).toEqual({ allowed: true });
  });

  it('names the metadata addresses as such', () => {
    expect(guard('100.100.100.200')).toEqual({ allowed: false, reason: 'cloud metadata address' });
    expect(guard('169.254.169.254')).toEqual({ allowed: false, reason: 'cloud metadata address' });
    expect(guard('::ffff:100.100.100.200')).toEqual({
      allowed: false,
      reason: 'cloud metadata address',
    });
    expect(guard('[::ffff:0:a9fe:a9fe]')).toEqual({
      allowed: false,
      reason: 'cloud metadata address',
    });
  });

  it('names the range ipaddr.js classifies an address in', () => {
    expect(guard('10.0.0.1')).toEqual({
      allowed: false,
      reason: 'private or reserved address (private)',
    });
    expect(guard('::ffff:0:7f00:1')).toEqual({
      allowed: false,
      reason: 'private or reserved address (loopback)',
    });
    expect(guard('::7f00:1')).toEqual({
      allowed: false,
      reason: 'private or reserved address (ipv4Compatible)',
    });
  });

  it.each([
    'localhost',
    'example.com',
    '',
    '1.2.3',
    '127.0.0.1.nip.io',
    '2130706433',
    '0x7f.0.0.1',
    '127.0.0.1:80',
    ' 127.0.0.1',
    '::ffff:zzzz:1',
  ])('refuses the non-IP input %j', (input) => {
    expect(guard(input)).toEqual({ allowed: false, reason: 'not an IP address' });
  });

  it('is case-insensitive for IPv6', () => {
    expect(guard('FE80::1').allowed).toBe(false);
    expect(guard('::FFFF:7F00:1').allowed).toBe(false);
    expect(guard('2606:4700:4700::1111'.toUpperCase())).toEqual({ allowed: true });
  });
});

describe('createAddressGuard with an allow-list', () => {
  it('re-opens loopback for ["127.0.0.0/8"], in IPv4 and IPv4-mapped forms', () => {
    const guard = createAddressGuard({ allowedCidrs: ['127.0.0.0/8'] });
    for (const address of ['127.0.0.1', '127.1.2.3', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
      expect(guard(address), address).toEqual({ allowed: true });
    }
  });

  it('re-opens only what it lists', () => {
    const guard = createAddressGuard({ allowedCidrs: ['127.0.0.0/8'] });
    for (const address of ['::1', '10.0.0.1', '192.168.1.1', '64:ff9b::7f00:1', '0.0.0.0']) {
      expect(guard(address).allowed, address).toBe(false);
    }
    expect(guard('8.8.8.8')).toEqual({ allowed: true });
  });

  it('re-opens IPv6 ranges it lists', () => {
    const guard = createAddressGuard({ allowedCidrs: ['::1/128', 'fd00::/8'] });
    expect(guard('::1')).toEqual({ allowed: true });
    expect(guard('fd12::1')).toEqual({ allowed: true });
    expect(guard('127.0.0.1').allowed).toBe(false);
  });

  it('never re-opens the metadata addresses, even when their ranges are listed', () => {
    const guard = createAddressGuard({ allowedCidrs: ['100.64.0.0/10', '169.254.0.0/16'] });
    expect(guard('100.64.0.1')).toEqual({ allowed: true });
    expect(guard('100.100.100.199')).toEqual({ allowed: true });
    for (const address of [
      '100.100.100.200',
      '169.254.169.254',
      '169.254.0.1',
      '::ffff:100.100.100.200',
      '::ffff:a9fe:a9fe',
      '::ffff:0:a9fe:a9fe',
      '2001:0:4136:e378:8000:63bf:9b9b:9b37',
    ]) {
      expect(guard(address), address).toEqual({ allowed: false, reason: 'cloud metadata address' });
    }
  });

  it('never re-opens metadata, even with everything allow-listed', () => {
    const guard = createAddressGuard({ allowedCidrs: ['0.0.0.0/0', '::/0'] });
    expect(guard('10.0.0.1')).toEqual({ allowed: true });
    expect(guard('::1')).toEqual({ allowed: true });
    expect(guard('100.100.100.200').allowed).toBe(false);
    expect(guard('169.254.169.254').allowed).toBe(false);
    expect(guard('fd00:ec2::254').allowed).toBe(false);
  });

  it('still refuses non-IP input', () => {
    const guard = createAddressGuard({ allowedCidrs: ['0.0.0.0/0', '::/0'] });
    expect(guard('localhost').allowed).toBe(false);
  });
});

describe('address guard: IPv4 carried inside IPv6', () => {
  const guard = createAddressGuard({ allowedCidrs: ['64:ff9b::/96', '2002::/16', '::/96'] });

  it.each([
    ['64:ff9b::6464:64c8'],
    ['64:ff9b::100.100.100.200'],
    ['2002:6464:64c8::1'],
    ['::100.100.100.200'],
    ['64:ff9b::a9fe:a9fe'],
  ])(
    'refuses the metadata address embedded in %s even when its range is allow-listed',
    (address) => {
      expect(guard(address)).toEqual({ allowed: false, reason: 'cloud metadata address' });
    },
  );

  it('refuses IPv4-compatible ::7f00:1 without an allow-list', () => {
    expect(createAddressGuard({ allowedCidrs: [] })('::7f00:1').allowed).toBe(false);
  });
});
