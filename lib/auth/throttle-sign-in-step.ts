import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { claimSignInAttempt, releaseSignInAttempt } from "./claim-sign-in-attempt";
import type { TKnownDevice } from "./known-device";

// Where an attempt comes from: the TCP peer (or the trusted proxy's X-Forwarded-For), and the browser's known-device
// token when it has a valid one.
export type TSignInSource = { ip?: string; knownDevice?: TKnownDevice };
export type TSignInAccount = { step: "password"; email: string } | { step: "code"; adminId: string };

type TKeys = { keys: string[]; reset: string[]; refund: string[] };

// The rule: a browser that completed a sign-in with TOTP for this admin before is throttled on its own key only.
// Any other attempt counts against the account and its source address. So 30 guesses at the owner's email from
// anywhere else can stop sign-ins from new browsers for one window, never the owner's own browser.
const keysFor = async (prisma: TPrisma, account: TSignInAccount, source: TSignInSource): Promise<TKeys> => {
  const email = account.step === "password" ? account.email.trim().toLowerCase() : "";
  const adminId = account.step === "code" ? account.adminId : (await prisma.admin.findUnique({ where: { email }, select: { id: true } }))?.id;
  if (adminId && source.knownDevice?.adminId === adminId) {
    const key = `device:${source.knownDevice.deviceId}`;
    return { keys: [key], reset: [key], refund: [] };
  }
  // No address (a bare `next start`) means no per-address key: one shared "unknown" key would let anyone throttle
  // every sign-in.
  const accountKey = account.step === "password" ? `account:${email}` : `code:${account.adminId}`;
  const addressKeys = source.ip ? [`ip:${source.ip}`] : [];
  return { keys: [accountKey, ...addressKeys], reset: [accountKey], refund: addressKeys };
};

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

// Claims, runs the check, and gives the claim back only when the check passed. A wrong password or code
// (UNAUTHORIZED, VALIDATION) keeps it as a failure, and so does anything else that threw.
export const throttleSignInStep = async <T>(options: { prisma: TPrisma; account: TSignInAccount; source: TSignInSource; run: () => Promise<T>; now?: Date }): Promise<T> => {
  const { keys, reset, refund } = await keysFor(options.prisma, options.account, options.source);
  const claim = await claimSignInAttempt({ prisma: options.prisma, keys, now: options.now });
  if (!claim.ok) {
    throw new AppError("RATE_LIMITED", `Too many failed attempts; try again in ${minutes(claim.retryAfterMs)} minute(s), or from a browser you have signed in with before`);
  }
  const result = await options.run();
  await releaseSignInAttempt({ prisma: options.prisma, resetKeys: reset, refundKeys: refund, now: options.now });
  return result;
};
