import { cidrContains, parseCidr } from "../net/cidr";
import type { TNetworkFacts } from "./decision-types";

export type TIsTrustedNetworkOptions = { authorizedNetworks: readonly string[]; network: TNetworkFacts };

// Only the user's own address counts: the VPN client's as the NAS reports it (Calling-Station-Id, an IP on the ASA),
// or the Duo API's ipaddr. Never the NAS's or the calling server's own address: every login passes through it, so a
// NAS inside a trusted range would let every user skip the second factor. Without an address, nothing is trusted. A
// malformed configured range is skipped, never widened: trusting by mistake is the failure that matters here.
export const isTrustedNetwork = ({ authorizedNetworks, network }: TIsTrustedNetworkOptions): boolean => {
  const address = network.callingStationId?.trim();
  if (!address) return false;
  return authorizedNetworks.some((text) => {
    const cidr = parseCidr(text);
    return !("error" in cidr) && cidrContains(cidr, address);
  });
};
