import type { TRadiusAttribute } from "../primary-auth/types";
import { Attr, HEADER_LENGTH, MAX_PACKET_LENGTH, MIN_PACKET_LENGTH } from "./constants";

// Why a packet was dropped; counted per reason by the worker and never thrown.
export type TDropReason =
  | "bad_length"
  | "bad_attributes"
  | "bad_code"
  | "unknown_client"
  | "bad_message_authenticator"
  | "missing_message_authenticator"
  | "bad_authenticator"
  | "bad_password"
  | "no_application"
  | "overloaded"
  // CoA/Disconnect (lib/coa/decide-coa-freshness.ts): Event-Timestamp outside the window, or a request seen before.
  | "stale_event_timestamp"
  | "replayed_request";

export type TRawPacket = {
  code: number;
  identifier: number;
  authenticator: Buffer;
  // For a Vendor-Specific attribute `value` holds the whole attribute value (vendor id + sub-attributes) so it
  // re-encodes byte for byte; vendorId/vendorType describe its first sub-attribute when it is well-formed.
  attributes: TRadiusAttribute[];
  // Offset of the Message-Authenticator *value* inside `raw`, when present.
  messageAuthenticatorOffset?: number;
  raw: Buffer; // exactly `length` bytes (trailing padding beyond the declared length is ignored, RFC 2865 §3)
};

export type TParseResult = { ok: true; packet: TRawPacket } | { ok: false; reason: TDropReason; detail: string };

const describeVendor = (value: Buffer): { vendorId?: number; vendorType?: number } => {
  if (value.length < 4) return {};
  const vendorId = value.readUInt32BE(0);
  if (value.length < 6) return { vendorId };
  const subType = value[4];
  const subLength = value[5];
  if (subType === undefined || subLength === undefined || subLength < 2 || 4 + subLength > value.length) return { vendorId };
  return { vendorId, vendorType: subType };
};

export const parsePacket = (buffer: Buffer): TParseResult => {
  if (buffer.length < MIN_PACKET_LENGTH) return { ok: false, reason: "bad_length", detail: `datagram of ${buffer.length} bytes` };
  const length = buffer.readUInt16BE(2);
  if (length < MIN_PACKET_LENGTH || length > MAX_PACKET_LENGTH || length > buffer.length) {
    return { ok: false, reason: "bad_length", detail: `length field ${length}, datagram ${buffer.length}` };
  }
  const raw = buffer.length === length ? buffer : buffer.subarray(0, length);
  const attributes: TRadiusAttribute[] = [];
  let messageAuthenticatorOffset: number | undefined;
  let offset = HEADER_LENGTH;
  while (offset < length) {
    if (offset + 2 > length) return { ok: false, reason: "bad_attributes", detail: `truncated attribute header at ${offset}` };
    const type = raw[offset] as number;
    const attrLength = raw[offset + 1] as number;
    if (attrLength < 2 || offset + attrLength > length) {
      return { ok: false, reason: "bad_attributes", detail: `attribute ${type} length ${attrLength} at ${offset}` };
    }
    const value = raw.subarray(offset + 2, offset + attrLength);
    if (type === Attr.MessageAuthenticator) {
      if (value.length !== 16 || messageAuthenticatorOffset !== undefined) {
        return { ok: false, reason: "bad_attributes", detail: "malformed or repeated Message-Authenticator" };
      }
      messageAuthenticatorOffset = offset + 2;
    }
    attributes.push(type === Attr.VendorSpecific ? { type, value, ...describeVendor(value) } : { type, value });
    offset += attrLength;
  }
  return {
    ok: true,
    packet: { code: raw[0] as number, identifier: raw[1] as number, authenticator: raw.subarray(4, 20), attributes, messageAuthenticatorOffset, raw },
  };
};
