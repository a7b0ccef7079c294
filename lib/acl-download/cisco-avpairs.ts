import type { TRadiusAttribute } from "../primary-auth/types";
import { vendorValue } from "../radius/attributes";
import { Attr } from "../radius/constants";

export const CISCO_VENDOR_ID = 9;
export const CISCO_AVPAIR = 1;

// A Vendor-Specific attribute that is exactly one Cisco-AVPair (vendor 9, type 1) and nothing else: a VSA packing a
// second sub-attribute behind it is not taken for an AV-pair, so nothing rides along unseen.
export const isSingleCiscoAvpair = (attr: TRadiusAttribute): boolean =>
  attr.type === Attr.VendorSpecific && attr.vendorId === CISCO_VENDOR_ID && attr.vendorType === CISCO_AVPAIR && attr.value.length === 4 + (attr.value[5] ?? 0);

// The text of every Cisco-AVPair in a packet, in order (invalid UTF-8 does not match any marker Twofold looks for).
export const ciscoAvpairs = (attributes: readonly TRadiusAttribute[]): string[] =>
  attributes.filter(isSingleCiscoAvpair).map((attr) => vendorValue(attr)?.toString("utf8") ?? "");
