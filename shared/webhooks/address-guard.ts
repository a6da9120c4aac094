import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard's address rule: a webhook may only connect to a publicly routable address.
 * Checked on the address actually connected to (after DNS, literal IPs included), never on the
 * URL text alone. An operator allow-list (CIDRs) re-opens private ranges for local runs and tests,
 * but never the cloud metadata addresses.
 */
const DENIED_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10', // CGNAT: holds Alibaba Cloud's metadata service 100.100.100.200
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
const DENIED_V6 = [
  '::/128',
  '::1/128',
  '64:ff9b::/96', // NAT64 reaches IPv4 space
  '64:ff9b:1::/48',
  '100::/64',
  '2001::/32', // Teredo
  '2001:db8::/32',
  '2002::/16', // 6to4 embeds IPv4
  'fc00::/7',
  'fe80::/10',
  'fec0::/10',
  'ff00::/8',
];
/** Never reachable, whatever the allow-list says. */
const METADATA_V4 = ['100.100.100.200/32', '169.254.0.0/16'];
const METADATA_V6 = ['fd00:ec2::254/128'];

const addSubnets = (list: BlockList, cidrs: readonly string[]): void => {
  for (const cidr of cidrs) {
    const [address, prefix] = cidr.split('/');
    const family = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(address ?? '', Number(prefix), family);
  }
};

const buildList = (v4: readonly string[], v6: readonly string[]): BlockList => {
  const list = new BlockList();
  addSubnets(list, v4);
  addSubnets(list, v6);
  return list;
};

const DENIED = buildList(DENIED_V4, DENIED_V6);
const METADATA = buildList(METADATA_V4, METADATA_V6);

type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/** `::ffff:127.0.0.1` and `::ffff:7f00:1` are IPv4 in disguise: judge them as IPv4. */
const unmapIpv4 = (address: string): { address: string; family: 'ipv4' | 'ipv6' } => {
  const lower = address.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/.exec(lower);
  if (mapped?.[1]) {
    const tail = mapped[1];
    if (isIP(tail) === 4) return { address: tail, family: 'ipv4' };
    const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(tail);
    if (hex?.[1] && hex[2]) {
      const high = Number.parseInt(hex[1], 16);
      const low = Number.parseInt(hex[2], 16);
      return { address: `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, family: 'ipv4' };
    }
  }
  return { address: lower, family: isIP(lower) === 6 ? 'ipv6' : 'ipv4' };
};

const createAddressGuard = (options: { allowedCidrs: readonly string[] }) => {
  const allowed = new BlockList();
  addSubnets(allowed, options.allowedCidrs);
  return (rawAddress: string): AddressVerdict => {
    if (isIP(rawAddress.replace(/^\[|\]$/g, '')) === 0) {
      return { allowed: false, reason: 'not an IP address' };
    }
    const { address, family } = unmapIpv4(rawAddress);
    if (METADATA.check(address, family))
      return { allowed: false, reason: 'cloud metadata address' };
    if (allowed.check(address, family)) return { allowed: true };
    if (DENIED.check(address, family))
      return { allowed: false, reason: 'private or reserved address' };
    return { allowed: true };
  };
};

type AddressGuard = ReturnType<typeof createAddressGuard>;

export type { AddressGuard, AddressVerdict };
export { createAddressGuard };
