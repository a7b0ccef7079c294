import type { TRadiusAttribute } from "../primary-auth/types";
import { Attr, COMPUTED_AUTHENTICATOR_CODES, HEADER_LENGTH, MAX_PACKET_LENGTH, RadiusCode } from "./constants";
import { hmacUnsignedPacket, md5Authenticator, ZERO_AUTHENTICATOR } from "./authenticators";
import type { TSecretInput } from "./radius-secret";

type TLayout = { packet: Buffer; maOffset: number; omitted: number };

// Header, Message-Authenticator FIRST (so a BlastRADIUS-style prefix forgery cannot precede it), then attributes in
// order, raw bytes untouched. Attributes that would not fit in 4096 bytes are omitted and counted, never truncated.
const layout = (code: number, identifier: number, attributes: readonly TRadiusAttribute[], tail: readonly TRadiusAttribute[]): TLayout => {
  let length = HEADER_LENGTH + 18;
  const tailLength = tail.reduce((sum, attr) => sum + 2 + Math.min(attr.value.length, 253), 0);
  const chosen: TRadiusAttribute[] = [];
  let omitted = 0;
  for (const attr of attributes) {
    const size = 2 + attr.value.length;
    if (attr.value.length > 253 || attr.type === Attr.MessageAuthenticator || length + size + tailLength > MAX_PACKET_LENGTH) {
      if (attr.type !== Attr.MessageAuthenticator) omitted += 1;
      continue;
    }
    chosen.push(attr);
    length += size;
  }
  for (const attr of tail) {
    if (attr.value.length > 253) continue;
    chosen.push(attr);
    length += 2 + attr.value.length;
  }
  const packet = Buffer.alloc(length);
  packet[0] = code;
  packet[1] = identifier;
  packet.writeUInt16BE(length, 2);
  packet[HEADER_LENGTH] = Attr.MessageAuthenticator;
  packet[HEADER_LENGTH + 1] = 18;
  let offset = HEADER_LENGTH + 18;
  for (const attr of chosen) {
    packet[offset] = attr.type;
    packet[offset + 1] = 2 + attr.value.length;
    attr.value.copy(packet, offset + 2);
    offset += 2 + attr.value.length;
  }
  return { packet, maOffset: HEADER_LENGTH + 2, omitted };
};

export type TEncoded = { packet: Buffer; omitted: number };

// Access-Accept/Reject/Challenge, Accounting-Response: MA over the packet carrying the request authenticator, then
// the Response Authenticator over the finished packet. Proxy-State is echoed last, in order (RFC 2865 §5.33).
export const encodeResponse = (options: {
  code: number;
  identifier: number;
  requestAuthenticator: Buffer;
  attributes: readonly TRadiusAttribute[];
  proxyStates: readonly Buffer[];
  secret: TSecretInput;
  answersStatusServer?: boolean;
}): TEncoded => {
  const tail = options.proxyStates.map((value) => ({ type: Attr.ProxyState, value }));
  const { packet, maOffset, omitted } = layout(options.code, options.identifier, options.attributes, tail);
  // Accounting-Response: MA over a zero authenticator field, as FreeRADIUS computes and checks it (RFC 3579 only
  // defines the Access-* case); Access-* replies: over the request authenticator.
  // (an Accounting-Response to Status-Server is treated like an Access-* reply, again as FreeRADIUS does).
  if (options.code !== RadiusCode.AccountingResponse || options.answersStatusServer) options.requestAuthenticator.copy(packet, 4);
  hmacUnsignedPacket(packet, options.secret).copy(packet, maOffset);
  md5Authenticator(packet, options.requestAuthenticator, options.secret).copy(packet, 4);
  return { packet, omitted };
};

// Requests Twofold sends upstream. Access-Request/Status-Server carry a random authenticator; Accounting-Request's
// MA is computed with a zero authenticator, then the Request Authenticator over the packet (RFC 2866, RFC 3579);
// CoA-Request and Disconnect-Request the same way (RFC 5176 §2.3, §3.5).
export const encodeRequest = (options: {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: readonly TRadiusAttribute[];
  secret: TSecretInput;
}): TEncoded => {
  const { packet, maOffset, omitted } = layout(options.code, options.identifier, options.attributes, []);
  if (COMPUTED_AUTHENTICATOR_CODES.has(options.code)) {
    hmacUnsignedPacket(packet, options.secret).copy(packet, maOffset);
    md5Authenticator(packet, ZERO_AUTHENTICATOR, options.secret).copy(packet, 4);
  } else {
    options.authenticator.copy(packet, 4);
    hmacUnsignedPacket(packet, options.secret).copy(packet, maOffset);
  }
  return { packet, omitted };
};
