import { createHash, createHmac, timingSafeEqual } from "node:crypto";

// RFC 3579 §3.2: HMAC-MD5 over the packet with the Message-Authenticator value zeroed. The caller supplies the
// packet with the right bytes in the authenticator field (request authenticator, or zeros for accounting).
export const hmacMessageAuthenticator = (packet: Buffer, maOffset: number, secret: Buffer): Buffer => {
  const copy = Buffer.from(packet);
  copy.fill(0, maOffset, maOffset + 16);
  return createHmac("md5", secret).update(copy).digest();
};

// Response Authenticator (RFC 2865 §3) and Accounting Request Authenticator (RFC 2866 §3): MD5 over the packet with
// `authenticatorField` in bytes 4..20, followed by the secret.
export const md5Authenticator = (packet: Buffer, authenticatorField: Buffer, secret: Buffer): Buffer =>
  createHash("md5").update(packet.subarray(0, 4)).update(authenticatorField).update(packet.subarray(20)).update(secret).digest();

export const safeEqual = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

export const ZERO_AUTHENTICATOR = Buffer.alloc(16);
