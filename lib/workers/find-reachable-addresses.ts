import { isIP } from "node:net";
import type { NetworkInterfaceInfo } from "node:os";

const WILDCARD = new Set(["0.0.0.0", "::", ""]);
const isLoopback = (address: string) => address.startsWith("127.") || address === "::1" || address.toLowerCase() === "localhost";

// The addresses a NAS could send RADIUS to, as the ASA snippet lists them: the bind address itself, or — bound to
// every address — this host's non-loopback interface addresses (IPv4 first; IPv6 link-local left out: an ASA cannot
// name its zone). Loopback is reachable from nowhere else, so it is never offered; [] means "unknown, ask the admin".
export const findReachableAddresses = (options: { host: string; interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> }): string[] => {
  const host = options.host.trim();
  if (!WILDCARD.has(host)) return isIP(host) && !isLoopback(host) ? [host] : [];
  const wantV6 = host === "::";
  const found = Object.values(options.interfaces)
    .flatMap((list) => list ?? [])
    .filter((info) => !info.internal && !isLoopback(info.address))
    .filter((info) => info.family === "IPv4" || (wantV6 && !info.address.toLowerCase().startsWith("fe80")));
  return [...new Set([...found.filter((info) => info.family === "IPv4"), ...found.filter((info) => info.family !== "IPv4")].map((info) => info.address))];
};
