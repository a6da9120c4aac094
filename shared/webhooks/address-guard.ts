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
  '::/96', // IPv4-compatible (deprecated); holds :: and ::1
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

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail counts as two). */
const ipv6Groups = (address: string): number[] | undefined => {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : undefined;
};

const ipv4From = (high: number, low: number): string =>
  `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

/**
 * IPv6 forms that carry an IPv4 address (NAT64 64:ff9b::/96, 6to4 2002::/16, IPv4-compatible
 * ::/96): the embedded address must never be a metadata address, whatever the allow-list says.
 */
const embeddedIpv4 = (address: string): string | undefined => {
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  if (g0 === 0x64 && g1 === 0xff9b) return ipv4From(g6, g7);
  if (g0 === 0x2002) return ipv4From(g1, g2);
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4From(g6, g7);
  return undefined;
};

const createAddressGuard = (options: { allowedCidrs: readonly string[] }) => {
  const allowed = new BlockList();
  addSubnets(allowed, options.allowedCidrs);
  return (rawAddress: string): AddressVerdict => {
    if (isIP(rawAddress.replace(/^\[|\]$/g, '')) === 0) {
      return { allowed: false, reason: 'not an IP address' };
    }
    const { address, family } = unmapIpv4(rawAddress);
    const embedded = family === 'ipv6' ? embeddedIpv4(address) : undefined;
    if (METADATA.check(address, family) || (embedded && METADATA.check(embedded, 'ipv4'))) {
      return { allowed: false, reason: 'cloud metadata address' };
    }
    if (allowed.check(address, family)) return { allowed: true };
    if (DENIED.check(address, family))
      return { allowed: false, reason: 'private or reserved address' };
    return { allowed: true };
  };
};

type AddressGuard = ReturnType<typeof createAddressGuard>;

export type { AddressGuard, AddressVerdict };
export { createAddressGuard };
