import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { Secret } from "otpauth";
import { safeEqual } from "../crypto/tokens";

const HEX = /^(?:[0-9a-f]{2})+$/i;
const BASE32 = /^[A-Z2-7]+=*$/i;

export type TParseOtpSecretOptions = { text: string; encoding?: "hex" | "base32" | "auto" };

// Hardware token vendors export seeds as hex, authenticator apps use base32. "auto": an even-length string of hex digits
// is hex (a 20-byte SHA-1 seed is 40 hex characters), anything else must be base32.
export const parseOtpSecret = ({ text, encoding = "auto" }: TParseOtpSecretOptions): Secret | { error: string } => {
  const value = text.trim().replace(/\s+/g, "");
  if (!value) return { error: "Secret is empty" };
  const useHex = encoding === "hex" || (encoding === "auto" && HEX.test(value));
  if (useHex) {
    if (!HEX.test(value)) return { error: "Secret is not valid hex" };
    return Secret.fromHex(value);
  }
  if (!BASE32.test(value)) return { error: "Secret is neither hex nor base32" };
  const secret = Secret.fromBase32(value.toUpperCase().replace(/=+$/, ""));
  return secret.bytes.length >= 10 ? secret : { error: "Secret is shorter than 80 bits" };
};

export type THotpAtOptions = { secret: Secret; counter: number; digits: number };

// RFC 4226 §5.3 (HMAC-SHA-1, dynamic truncation), as otpauth's HOTP.generate computes it, but keyed with a KeyObject
// made once per seed: since Node 24 an HMAC keyed with raw bytes builds a key object on every call (~30 µs, against
// ~5 µs), and a TOTP check computes three codes, a HOTP look-ahead eleven.
const hmacKeys = new WeakMap<Secret, KeyObject>();
const keyOf = (secret: Secret): KeyObject => {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = createSecretKey(new Uint8Array(secret.bytes));
    hmacKeys.set(secret, key);
  }
  return key;
};

export const hotpAt = ({ secret, counter, digits }: THotpAtOptions): string => {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", keyOf(secret)).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits).padStart(digits, "0");
};

// A code the NAS proved rather than sent (MS-CHAPv2 answers with an NT-Response computed over it): each candidate code
// is put to it, so the counter or time step consumed is the one whose code matched.
export type TCodeProof = { matches: (candidate: string) => boolean };
export type TSuppliedCode = string | TCodeProof;

// First counter in [from, from + count) whose code matches, compared in constant time per candidate.
export const findHotpCounter = (options: { secret: Secret; code: TSuppliedCode; digits: number; from: number; count: number }): number | undefined => {
  const { secret, code, digits, from, count } = options;
  const matches = typeof code === "string" ? (candidate: string) => safeEqual(candidate, code) : code.matches;
  for (let counter = Math.max(0, from); counter < from + count; counter += 1) {
    if (matches(hotpAt({ secret, counter, digits }))) return counter;
  }
  return undefined;
};
