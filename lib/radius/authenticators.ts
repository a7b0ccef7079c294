import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { hmacKey, secretBytes, type TSecretInput } from "./radius-secret";

export const ZERO_AUTHENTICATOR = Buffer.alloc(16);

// RFC 3579 §3.2: HMAC-MD5 over a received packet with the Message-Authenticator value zeroed and, when given,
// `authenticatorField` in bytes 4..20 (our request authenticator for a reply, zeros for accounting). One copy of the
// packet: cheaper than feeding the HMAC the pieces around the zeroed field (measured on Node 20 and 24).
export const hmacMessageAuthenticator = (packet: Buffer, maOffset: number, secret: TSecretInput, authenticatorField?: Buffer): Buffer => {
  const copy = Buffer.from(packet);
  if (authenticatorField) authenticatorField.copy(copy, 4);
  copy.fill(0, maOffset, maOffset + 16);
  return createHmac("md5", hmacKey(secret)).update(copy).digest();
};

// The same for a packet being encoded, whose Message-Authenticator value is still zero: no copy needed.
export const hmacUnsignedPacket = (packet: Buffer, secret: TSecretInput): Buffer => createHmac("md5", hmacKey(secret)).update(packet).digest();

// Response Authenticator (RFC 2865 §3) and Accounting Request Authenticator (RFC 2866 §3): MD5 over the packet with
// `authenticatorField` in bytes 4..20, followed by the secret.
export const md5Authenticator = (packet: Buffer, authenticatorField: Buffer, secret: TSecretInput): Buffer =>
  createHash("md5").update(packet.subarray(0, 4)).update(authenticatorField).update(packet.subarray(20)).update(secretBytes(secret)).digest();

export const safeEqual = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);
