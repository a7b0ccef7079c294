import { isIP, isIPv6 } from "node:net";
import type { TUpstreamTransport } from "../radius/upstream/create-upstream-transport";

// The address CoA/Disconnect leaves from: TWOFOLD_RADIUS_HOST when it names one address, none (the kernel's choice)
// when it is the wildcard. A name is bound as bindUdp binds it (IPv4).
export const coaBindAddress = (host: string): { address: string; family: 4 | 6 } | undefined => {
  if (host === "0.0.0.0" || (isIP(host) === 6 && /^[0:]+$/.test(host))) return undefined;
  return { address: host, family: isIPv6(host) ? 6 : 4 };
};

// The ASA's `dynamic-authorization` takes CoA only from its aaa-server hosts, that is from the address the NAS sends
// its RADIUS to; on a host with several addresses the kernel may pick another one for an unbound socket, and the ASA
// ignores the request. So requests to a NAS of the listening address's family go out of a socket bound to it (`open`);
// one of the other family (a NAS-IP-Address placing a session across families) cannot, and keeps `fallback`.
export const createCoaTransport = async (options: { host: string; fallback: TUpstreamTransport; open: (bindAddress: string) => Promise<TUpstreamTransport> }): Promise<TUpstreamTransport> => {
  const bind = coaBindAddress(options.host);
  if (!bind) return { exchange: options.fallback.exchange, close: async () => {} }; // the fallback is its owner's to close
  const bound = await options.open(bind.address);
  return {
    exchange: (request) => (isIP(request.target.host) === bind.family ? bound : options.fallback).exchange(request),
    close: () => bound.close(),
  };
};
