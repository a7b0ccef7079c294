import { createHmac, randomBytes } from "node:crypto";
import { safeEqual } from "../crypto/tokens";
import { parseSecretKey } from "../secrets/secret-key";

export const KNOWN_DEVICE_COOKIE = "twofold_known_device";
export const KNOWN_DEVICE_TTL_MS = 180 * 24 * 60 * 60 * 1000;

export type TKnownDevice = { adminId: string; deviceId: string };

const sign = (payload: string): string => {
  const raw = process.env.TWOFOLD_SECRET_KEY;
  if (!raw) throw new Error("TWOFOLD_SECRET_KEY is not set");
  return createHmac("sha256", parseSecretKey(raw)).update(`known-device:${payload}`).digest("base64url");
};

// Given to a browser after a complete sign-in (password and TOTP). It proves nothing by itself — the password and the
// code are still asked — but it gives this browser a throttle budget of its own, so guesses from elsewhere can
// never use up the budget the admin's own browser signs in with.
export const createKnownDeviceToken = (options: { adminId: string; deviceId?: string; now?: Date }): string => {
  const deviceId = options.deviceId ?? randomBytes(16).toString("base64url");
  const payload = `${options.adminId}.${deviceId}.${(options.now ?? new Date()).getTime() + KNOWN_DEVICE_TTL_MS}`;
  return `${payload}.${sign(payload)}`;
};

export const readKnownDevice = (options: { token: string | undefined; now?: Date }): TKnownDevice | undefined => {
  const parts = options.token?.split(".") ?? [];
  if (parts.length !== 4) return undefined;
  const [adminId = "", deviceId = "", expires = "", signature = ""] = parts;
  if (!safeEqual(signature, sign(`${adminId}.${deviceId}.${expires}`))) return undefined;
  if (!/^\d+$/.test(expires) || Number(expires) < (options.now ?? new Date()).getTime()) return undefined;
  return { adminId, deviceId };
};
