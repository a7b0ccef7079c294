import { createSecretKey, KeyObject } from "node:crypto";

// A RADIUS shared secret in the two forms the codec needs: the bytes (MD5 of packet + secret for the Response and
// Accounting authenticators, User-Password hiding) and a KeyObject for HMAC-MD5 (Message-Authenticator). Built once
// per secret when the configuration loads: from Node 24 on, an HMAC keyed with raw bytes builds a key object on every
// call, and that cost ~15 µs per packet (14 % of the worker's CPU in the profile).
export type TRadiusSecret = { bytes: Buffer; key: KeyObject };

export const createRadiusSecret = (secret: string | Buffer): TRadiusSecret => {
  const bytes = Buffer.isBuffer(secret) ? Buffer.from(secret) : Buffer.from(secret, "utf8");
  return { bytes, key: createSecretKey(bytes) };
};

export const isRadiusSecret = (value: unknown): value is TRadiusSecret =>
  typeof value === "object" && value !== null && "bytes" in value && Buffer.isBuffer(value.bytes) && "key" in value && value.key instanceof KeyObject;

// The codec takes either: callers with a prepared secret (the worker's hot path) skip the per-packet key; tests and
// one-off tools may keep passing bytes.
export type TSecretInput = Buffer | TRadiusSecret;

export const secretBytes = (secret: TSecretInput): Buffer => (Buffer.isBuffer(secret) ? secret : secret.bytes);
export const hmacKey = (secret: TSecretInput): Buffer | KeyObject => (Buffer.isBuffer(secret) ? secret : secret.key);
