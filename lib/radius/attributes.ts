import type { TRadiusAttribute } from "../primary-auth/types";
import { Attr } from "./constants";

// Builders for attributes Twofold originates. Values longer than one attribute allows are split (RFC 2865 §5.18
// allows several Reply-Message attributes, concatenated by the NAS).
export const bytesAttribute = (type: number, value: Buffer): TRadiusAttribute => ({ type, value });

export const textAttributes = (type: number, value: string): TRadiusAttribute[] => {
  const bytes = Buffer.from(value, "utf8");
  const chunks: TRadiusAttribute[] = [];
  for (let offset = 0; offset < bytes.length; offset += 253) chunks.push({ type, value: bytes.subarray(offset, offset + 253) });
  return chunks;
};

export const integerAttribute = (type: number, value: number): TRadiusAttribute => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0, 0);
  return { type, value: buffer };
};

export const vendorAttribute = (vendorId: number, vendorType: number, value: Buffer): TRadiusAttribute => {
  const body = Buffer.alloc(6 + value.length);
  body.writeUInt32BE(vendorId, 0);
  body[4] = vendorType;
  body[5] = 2 + value.length;
  value.copy(body, 6);
  return { type: Attr.VendorSpecific, value: body, vendorId, vendorType };
};

// The value of the first sub-attribute of a VSA (what a person means by "the Cisco-AVPair").
export const vendorValue = (attr: TRadiusAttribute): Buffer | undefined =>
  attr.type === Attr.VendorSpecific && attr.vendorType !== undefined ? attr.value.subarray(6, 6 + ((attr.value[5] ?? 2) - 2)) : undefined;

export const replyMessage = (text: string): TRadiusAttribute[] => textAttributes(Attr.ReplyMessage, text);
