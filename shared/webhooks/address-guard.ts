import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The SSRF guard's address rule: a webhook may only connect to a publicly routable address.
 * Checked on the address actually connected to (after DNS, literal IPs included), and on a literal
 * address in the URL when a webhook is registered.
 *
 * The classification is ipaddr.js's (`range()`: IANA special-purpose registries for IPv4 and IPv6),
 * not a table of our own: a hand-written table once missed `::ffff:0:0/96` (RFC 6145,
 * IPv4-translated), which ipaddr.js names `rfc6145`. Only `unicast` is allowed. Our own list holds
 * only what the library does not classify: `::/96` (IPv4-compatible, deprecated by RFC 4291 §2.5.5.1
 * but still routed to the embedded IPv4 by some stacks; ipaddr.js calls it `unicast`) and the cloud
 * metadata addresses, which no allow-list re-opens.
 *
 * An operator allow-list (CIDRs) re-opens private ranges for local runs and tests, never metadata.
 */

/** Never reachable, whatever the allow-list says (checked on embedded IPv4 too). */
const METADATA_V4 = [
  '100.100.100.200/32', // Alibaba Cloud ECS metadata service
  '169.254.0.0/16', // link-local: 169.254.169.254 on most clouds
];
const METADATA_V6 = ['fd00:ec2::254/128'];

const addSubnets = (list: BlockList, cidrs: readonly string[]): void => {
  for (const cidr of cidrs) {
    const [address, prefix] = cidr.split('/');
    const family = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(address ?? '', Number(prefix), family);
  }
};

let metadata: BlockList | undefined;

/**
 * Built on the first check, not at import: a first IPv6 subnet compiles Node's IPv6 pattern, a
 * start-up cost for every function instance, most of which never sends a webhook.
 */
const metadataList = (): BlockList => {
  if (!metadata) {
    metadata = new BlockList();
    addSubnets(metadata, METADATA_V4);
    addSubnets(metadata, METADATA_V6);
  }
  return metadata;
};

type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

const v4FromParts = (high: number, low: number): ipaddr.IPv4 =>
  new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);

/** IPv4-compatible `::a.b.c.d` (not `::` nor `::1`, which ipaddr.js names itself). */
const isIpv4Compatible = (address: ipaddr.IPv6): boolean =>
  address.parts.slice(0, 6).every((part) => part === 0) && address.range() === 'unicast';

/**
 * The IPv4 address an IPv6 form stands for, when it is one of the forms that carry one: mapped
 * (`::ffff:0:0/96`), translated (`::ffff:0:0:0/96`), NAT64 (`64:ff9b::/96`), 6to4 (`2002::/16`),
 * Teredo (`2001::/32`, client address inverted) or IPv4-compatible (`::/96`).
 */
const embeddedIpv4 = (address: ipaddr.IPv6): ipaddr.IPv4 | undefined => {
  const [p0 = 0, p1 = 0, p2 = 0, , , , p6 = 0, p7 = 0] = address.parts;
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return v4FromParts(p6, p7);
    case 'rfc6052':
      return p1 === 0xff9b && p0 === 0x64 && address.parts[2] === 0
        ? v4FromParts(p6, p7)
        : undefined;
    case '6to4':
      return v4FromParts(p1, p2);
    case 'teredo':
      return v4FromParts(p6 ^ 0xffff, p7 ^ 0xffff);
    default:
      return isIpv4Compatible(address) ? v4FromParts(p6, p7) : undefined;
  }
};

/** `::ffff:a.b.c.d` and `::ffff:0:a.b.c.d` are IPv4 in disguise: judged as the IPv4 address. */
const judgedAs = (address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 => {
  if (address.kind() === 'ipv6') {
    const range = address.range();
    if (range === 'ipv4Mapped' || range === 'rfc6145') {
      const parts = (address as ipaddr.IPv6).parts;
      return v4FromParts(parts[6] ?? 0, parts[7] ?? 0);
    }
  }
  return address;
};

/** Parses strictly: node's isIP first (ipaddr.js also takes `0x7f.1` and `2130706433`). */
const parseStrict = (raw: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined => {
  const text = raw.replace(/^\[|\]$/g, '');
  if (isIP(text) === 0) return undefined;
  try {
    return ipaddr.parse(text);
  } catch {
    return undefined;
  }
};

const isMetadata = (address: ipaddr.IPv4 | ipaddr.IPv6): boolean => {
  const list = metadataList();
  if (list.check(address.toString(), address.kind())) return true;
  const embedded = address.kind() === 'ipv6' ? embeddedIpv4(address as ipaddr.IPv6) : undefined;
  return embedded !== undefined && list.check(embedded.toString(), 'ipv4');
};

/** The ipaddr.js range name, or ours for what it does not classify. */
const rangeOf = (address: ipaddr.IPv4 | ipaddr.IPv6): string => {
  if (address.kind() === 'ipv4') return (address as ipaddr.IPv4).range();
  const v6 = address as ipaddr.IPv6;
  return isIpv4Compatible(v6) ? 'ipv4Compatible' : v6.range();
};

const createAddressGuard = (options: { allowedCidrs: readonly string[] }) => {
  const allowed = new BlockList();
  addSubnets(allowed, options.allowedCidrs);
  return (rawAddress: string): AddressVerdict => {
    const parsed = parseStrict(rawAddress);
    if (!parsed) return { allowed: false, reason: 'not an IP address' };
    const address = judgedAs(parsed);
    if (isMetadata(address) || isMetadata(parsed)) {
      return { allowed: false, reason: 'cloud metadata address' };
    }
    if (allowed.check(address.toString(), address.kind())) return { allowed: true };
    const range = rangeOf(address);
    if (range !== 'unicast') {
      return { allowed: false, reason: `private or reserved address (${range})` };
    }
    return { allowed: true };
  };
};

type AddressGuard = ReturnType<typeof createAddressGuard>;

export type { AddressGuard, AddressVerdict };
export { createAddressGuard };
