import { cidrContains, parseCidr } from "../net/cidr";
import type { TNetworkFacts } from "./decision-types";

export type TIsTrustedNetworkOptions = { authorizedNetworks: readonly string[]; network: TNetworkFacts };

// The NAS's own address or the VPN client's address as the NAS reports it (Calling-Station-Id, an IP on the ASA).
// A malformed configured range is skipped, never widened: trusting by mistake is the failure that matters here.
export const isTrustedNetwork = ({ authorizedNetworks, network }: TIsTrustedNetworkOptions): boolean => {
  const addresses = [network.clientAddress, network.callingStationId?.trim()].filter((value): value is string => !!value);
  for (const text of authorizedNetworks) {
    const cidr = parseCidr(text);
    if ("error" in cidr) continue;
    if (addresses.some((address) => cidrContains(cidr, address))) return true;
  }
  return false;
};
