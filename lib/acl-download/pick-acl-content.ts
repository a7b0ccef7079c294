import type { TRadiusAttribute } from "../primary-auth/types";
import { vendorValue } from "../radius/attributes";
import { isSingleCiscoAvpair } from "./cisco-avpairs";

const ACL_ENTRY = /^(ip|ipv6):inacl#\d+=/;

// What the NAS gets back from an ACL download: the ACL's entries (Cisco-AVPair "ip:inacl#<n>=…", "ipv6:inacl#<n>=…"),
// byte for byte, and nothing else the upstream put in its answer (no Class, no group policy, no session limits: this
// answer authorizes no one). Paging travels in State, which the caller sets.
export const pickAclContent = (attributes: readonly TRadiusAttribute[]): TRadiusAttribute[] =>
  attributes.filter((attr) => isSingleCiscoAvpair(attr) && ACL_ENTRY.test(vendorValue(attr)?.toString("utf8") ?? ""));
