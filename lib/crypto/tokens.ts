import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Random, URL-safe tokens for links and sessions; only their sha256 is stored.
export const generateToken = (bytes = 32): string => randomBytes(bytes).toString("base64url");

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export const safeEqual = (a: string | Buffer, b: string | Buffer): boolean => {
  const left = typeof a === "string" ? Buffer.from(a) : a;
  const right = typeof b === "string" ? Buffer.from(b) : b;
  // Length is not secret here; timingSafeEqual throws on unequal lengths.
  return left.length === right.length && timingSafeEqual(left, right);
};
