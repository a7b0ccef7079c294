import { cidrContains, ipToBigInt, normalizeIp, type TCidr } from "./cidr";

export type TResolveClientAddressOptions = {
  peerAddress: string | undefined; // the TCP peer, as the console's server saw the socket
  forwardedFor: string | null | undefined; // X-Forwarded-For, every header line joined with ","
  trustedProxies: readonly TCidr[];
};

// Enough for any real proxy chain; a longer header is someone padding it.
const MAX_HOPS = 16;

// "203.0.113.7:51234" and "[2001:db8::1]:443" are how some proxies write a hop; the port is no part of the address.
const stripPort = (hop: string): string => {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed?.[1]) return bracketed[1];
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(hop);
  return v4WithPort?.[1] ?? hop;
};

const isTrusted = (address: string, trustedProxies: readonly TCidr[]) => trustedProxies.some((cidr) => cidrContains(cidr, address));

// The address a request came from, for throttling and the audit log. X-Forwarded-For is anyone's to write, so it is
// read only when the socket peer is a configured proxy, and then right to left: each hop is believed only while the
// hop that reported it is trusted, and the first address not in the trusted list is the client. A malformed hop ends
// the walk at the last address a trusted proxy vouched for, so a client cannot pick its own key by writing garbage.
export const resolveClientAddress = ({ peerAddress, forwardedFor, trustedProxies }: TResolveClientAddressOptions): string | undefined => {
  if (!peerAddress || !ipToBigInt(peerAddress)) return undefined;
  let client = normalizeIp(peerAddress.trim());
  if (!forwardedFor) return client;
  const hops = forwardedFor.split(",").map((hop) => stripPort(hop.trim())).reverse().slice(0, MAX_HOPS);
  for (const hop of hops) {
    if (!isTrusted(client, trustedProxies)) return client;
    if (!ipToBigInt(hop)) return client;
    client = normalizeIp(hop);
  }
  return client;
};
