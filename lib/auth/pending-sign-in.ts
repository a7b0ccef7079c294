import { createHmac } from "node:crypto";
import { safeEqual } from "../crypto/tokens";
import { parseSecretKey } from "../secrets/secret-key";

// Between "password OK" and "TOTP OK" the browser holds a short-lived signed ticket, not a session: a stolen
// password alone never yields a session row, not even a read-only one.
const PENDING_TTL_MS = 5 * 60 * 1000;

const sign = (payload: string): string => {
  const raw = process.env.TWOFOLD_SECRET_KEY;
  if (!raw) throw new Error("TWOFOLD_SECRET_KEY is not set");
  return createHmac("sha256", parseSecretKey(raw)).update(`pending-sign-in:${payload}`).digest("base64url");
};

export const createPendingSignIn = (options: { adminId: string; now?: Date }): string => {
  const expires = (options.now ?? new Date()).getTime() + PENDING_TTL_MS;
  const payload = `${options.adminId}.${expires}`;
  return `${payload}.${sign(payload)}`;
};

export const readPendingSignIn = (options: { ticket: string | undefined; now?: Date }): string | undefined => {
  const parts = options.ticket?.split(".") ?? [];
  if (parts.length !== 3) return undefined;
  const [adminId = "", expires = "", signature = ""] = parts;
  if (!safeEqual(signature, sign(`${adminId}.${expires}`))) return undefined;
  if (Number(expires) < (options.now ?? new Date()).getTime()) return undefined;
  return adminId;
};
