import { isIPv4, isIPv6 } from "node:net";

export type TCidr = { family: 4 | 6; network: bigint; prefix: number; text: string };

const ipv4ToBigInt = (ip: string): bigint => ip.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);

const ipv6ToBigInt = (ip: string): bigint => {
  let text = ip.toLowerCase();
  const v4Tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4Tail?.[1]) {
    const v4 = ipv4ToBigInt(v4Tail[1]);
    text = text.replace(v4Tail[1], `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`);
  }
  const [head = "", tail] = text.split("::");
  const headParts = head ? head.split(":") : [];
  const tailParts = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const missing = 8 - headParts.length - tailParts.length;
  const groups = tail === undefined ? headParts : [...headParts, ...Array<string>(missing).fill("0"), ...tailParts];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
};

// An IPv4-mapped IPv6 source (::ffff:10.0.0.1, as dual-stack sockets report it) is treated as the IPv4 address.
export const normalizeIp = (ip: string): string => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip);

export const ipToBigInt = (ip: string): { family: 4 | 6; value: bigint } | undefined => {
  const address = normalizeIp(ip.trim());
  if (isIPv4(address)) return { family: 4, value: ipv4ToBigInt(address) };
  if (isIPv6(address)) return { family: 6, value: ipv6ToBigInt(address.split("%")[0] ?? address) };
  return undefined;
};

// Accepts "10.0.0.1", "10.0.0.0/24", "2001:db8::/32". Host bits set under the prefix are an error: "10.0.0.1/24" is
// almost always a typo for a host or a network, and silently widening it is how clients get trusted by mistake.
export const parseCidr = (input: string): TCidr | { error: string } => {
  const text = input.trim();
  const [addressPart = "", prefixPart, extra] = text.split("/");
  if (extra !== undefined) return { error: "Use one address or one address/prefix" };
  const ip = ipToBigInt(addressPart);
  if (!ip) return { error: "Not an IPv4 or IPv6 address" };
  const bits = ip.family === 4 ? 32 : 128;
  if (prefixPart !== undefined && !/^\d{1,3}$/.test(prefixPart)) return { error: "Prefix length must be a number" };
  const prefix = prefixPart === undefined ? bits : Number(prefixPart);
  if (prefix < 0 || prefix > bits) return { error: `Prefix length must be between 0 and ${bits}` };
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((ip.value & hostMask) !== 0n) return { error: `Host bits are set: did you mean ${addressPart} or a /${prefix} network address?` };
  return { family: ip.family, network: ip.value, prefix, text: prefixPart === undefined ? addressPart : `${addressPart}/${prefix}` };
};

export const cidrContains = (cidr: TCidr, ip: string): boolean => {
  const address = ipToBigInt(ip);
  if (!address || address.family !== cidr.family) return false;
  const bits = cidr.family === 4 ? 32 : 128;
  const shift = BigInt(bits - cidr.prefix);
  return address.value >> shift === cidr.network >> shift;
};

// Most specific prefix wins; ties broken by the entry's key so the answer never depends on load order.
export const longestPrefixMatch = <T extends { cidr: TCidr; key: string }>(entries: readonly T[], ip: string): T | undefined => {
  let best: T | undefined;
  for (const entry of entries) {
    if (!cidrContains(entry.cidr, ip)) continue;
    if (!best || entry.cidr.prefix > best.cidr.prefix || (entry.cidr.prefix === best.cidr.prefix && entry.key < best.key)) best = entry;
  }
  return best;
};
