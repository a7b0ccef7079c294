import type { TRadiusAttribute } from "../../primary-auth/types";
import { Attr } from "../constants";

// Microsoft vendor-specific attributes (RFC 2548; names as in dictionaries/dictionary.microsoft).
export const MICROSOFT_VENDOR = 311;
export const MsAttr = {
  ChapError: 2,
  ChapLmEncPw: 5,
  ChapNtEncPw: 6,
  MppeEncryptionPolicy: 7,
  MppeEncryptionTypes: 8,
  ChapChallenge: 11,
  ChapMppeKeys: 12,
  MppeSendKey: 16,
  MppeRecvKey: 17,
  Chap1Response: 1,
  Chap2Response: 25,
  Chap2Success: 26,
  Chap2Cpw: 27,
} as const;

export type TMicrosoftSubAttribute = { type: number; value: Buffer; carrier: TRadiusAttribute };

// Every vendor-311 sub-attribute, with the Vendor-Specific attribute carrying it (RFC 2865 §5.26 allows several per
// VSA). A malformed VSA yields nothing: it is nobody's MS-CHAP.
export const microsoftSubAttributes = (attributes: readonly TRadiusAttribute[]): TMicrosoftSubAttribute[] => {
  const found: TMicrosoftSubAttribute[] = [];
  for (const attr of attributes) {
    if (attr.type !== Attr.VendorSpecific || attr.value.length < 6 || attr.value.readUInt32BE(0) !== MICROSOFT_VENDOR) continue;
    const subs: TMicrosoftSubAttribute[] = [];
    let offset = 4;
    while (offset + 2 <= attr.value.length) {
      const length = attr.value[offset + 1]!;
      if (length < 2 || offset + length > attr.value.length) {
        subs.length = 0;
        break;
      }
      subs.push({ type: attr.value[offset]!, value: attr.value.subarray(offset + 2, offset + length), carrier: attr });
      offset += length;
    }
    found.push(...subs);
  }
  return found;
};
