import { parseCidr, type TCidr } from "../net/cidr";

export type TClientAddress = { id: string; name: string; address: string };

// Two prefixes either nest or are disjoint, so an overlap is always "one inside the other". The worker's rule
// (lib/net/cidr.ts longestPrefixMatch, used for every packet in lib/auth-flow): the most specific prefix wins, so
// the narrower client answers its whole range and the broader one everything else it covers. Identical prefixes
// are refused when saving (check-address-clash.ts) and never reach here.
export type TAddressOverlap = {
  narrower: TClientAddress & { cidr: string; first: string; last: string };
  broader: TClientAddress & { cidr: string };
  message: string;
};

const formatIp = (family: 4 | 6, value: bigint): string => {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join(".");
  const groups = Array.from({ length: 8 }, (_, index) => ((value >> BigInt((7 - index) * 16)) & 0xffffn).toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes "::" (the first such run on a tie).
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start += 1) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === "0") length += 1;
    if (length > best.length) best = { start, length };
  }
  if (best.start < 0) return groups.join(":");
  return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.length).join(":")}`;
};

const range = (cidr: TCidr) => {
  const hostBits = BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefix);
  return { first: formatIp(cidr.family, cidr.network), last: formatIp(cidr.family, cidr.network | ((1n << hostBits) - 1n)) };
};

const contains = (outer: TCidr, inner: TCidr) => {
  if (outer.family !== inner.family || outer.prefix >= inner.prefix) return false;
  const shift = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);
  return outer.network >> shift === inner.network >> shift;
};

// Every pair of clients whose addresses overlap, narrower first, with who answers what; sorted for a stable page.
export const findAddressOverlaps = ({ clients }: { clients: readonly TClientAddress[] }): TAddressOverlap[] => {
  const parsed = clients.flatMap((client) => {
    const cidr = parseCidr(client.address);
    return "error" in cidr ? [] : [{ client, cidr }];
  });
  const overlaps: TAddressOverlap[] = [];
  for (const inner of parsed) {
    for (const outer of parsed) {
      if (inner.client.id === outer.client.id || !contains(outer.cidr, inner.cidr)) continue;
      const { first, last } = range(inner.cidr);
      const span = first === last ? first : `${first}–${last}`;
      overlaps.push({
        narrower: { ...inner.client, cidr: inner.cidr.text, first, last },
        broader: { ...outer.client, cidr: outer.cidr.text },
        message: `"${inner.client.name}" (${inner.cidr.text}) is inside "${outer.client.name}" (${outer.cidr.text}): the most specific prefix wins, so "${inner.client.name}" answers ${span} with its own secret and application, and "${outer.client.name}" only the rest of ${outer.cidr.text}.`,
      });
    }
  }
  return overlaps.sort((a, b) => a.narrower.name.localeCompare(b.narrower.name) || a.broader.name.localeCompare(b.broader.name));
};

// The overlaps one client takes part in, as the narrower or the broader side.
export const overlapsOfClient = (overlaps: readonly TAddressOverlap[], clientId: string): TAddressOverlap[] =>
  overlaps.filter((overlap) => overlap.narrower.id === clientId || overlap.broader.id === clientId);
