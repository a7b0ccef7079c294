import type { TPrisma } from "../db";
import type { TFactorDb } from "../factors/factor-db";
import { resyncHotp } from "../factors/resync-hotp";
import { verifyBypassCode } from "../factors/verify-bypass-code";
import { verifyPasscode } from "../factors/verify-passcode";
import { claimFactorAttempt } from "./claim-factor-attempt";
import { recordFactorSuccess } from "./record-factor-result";

export type TVerifySuppliedFactorOptions = {
  prisma: TPrisma;
  userId: string;
  step: { step: "verify_passcode"; code: string; authenticatorIds: string[] } | { step: "verify_bypass"; code: string };
  resync?: { authenticatorId: string; firstCode: string }; // answering "enter the next code" for a drifted HOTP token
  lockoutThreshold: number;
  now: Date;
};

export type TSuppliedFactorResult =
  | { kind: "accepted"; reason: "valid_passcode" | "bypass_code"; factor: string }
  | { kind: "failed"; reason: "invalid_passcode" | "passcode_replayed"; factor: string; failedAttempts: number }
  // Never verified (no attempt left), or verified but the user was disabled or locked before it took effect.
  | { kind: "refused"; reason: "locked_out" | "user_disabled"; factor: string };

type TCheck = { ok: true; reason: "valid_passcode" | "bypass_code"; factor: string } | { ok: false; reason: "invalid_passcode" | "passcode_replayed"; factor: string };

class GrantRefused extends Error {
  constructor(readonly reason: "locked_out" | "user_disabled") {
    super(reason);
  }
}

// Claim an attempt, then check the code and grant in one transaction: the conditional UPDATE that consumes the code
// (TOTP step, HOTP counter, bypass use) and the one that re-checks the user commit together, so a user disabled while
// the code was checked is refused and the code stays unspent.
export const verifySuppliedFactor = async ({ prisma, userId, step, resync, lockoutThreshold, now }: TVerifySuppliedFactorOptions): Promise<TSuppliedFactorResult> => {
  const resyncing = step.step === "verify_passcode" && resync && step.authenticatorIds.includes(resync.authenticatorId) ? resync : undefined;
  const factor = step.step === "verify_bypass" ? "bypass_code" : resyncing ? "hotp" : "passcode";
  const claim = await claimFactorAttempt({ prisma, userId, lockoutThreshold });
  if (!claim.ok) return { kind: "refused", reason: claim.reason, factor };
  try {
    return await prisma.$transaction(
      async (tx): Promise<TSuppliedFactorResult> => {
        const checked = await check({ prisma: tx, userId, step, resync: resyncing, now });
        if (!checked.ok) return { kind: "failed", reason: checked.reason, factor: checked.factor, failedAttempts: claim.attempt };
        const granted = await recordFactorSuccess({ prisma: tx, userId, now });
        if (!granted.ok) throw new GrantRefused(granted.reason);
        return { kind: "accepted", reason: checked.reason, factor: checked.factor };
      },
      // Waiting for a pool slot under load is not a failure of the code; the caller's database timeout bounds it.
      { maxWait: 10_000, timeout: 10_000 },
    );
  } catch (error) {
    if (error instanceof GrantRefused) return { kind: "refused", reason: error.reason, factor };
    throw error;
  }
};

const check = async ({ prisma, userId, step, resync, now }: Omit<TVerifySuppliedFactorOptions, "prisma" | "lockoutThreshold"> & { prisma: TFactorDb }): Promise<TCheck> => {
  if (step.step === "verify_bypass") {
    const ok = await verifyBypassCode({ prisma, userId, code: step.code, now });
    return ok ? { ok, reason: "bypass_code", factor: "bypass_code" } : { ok, reason: "invalid_passcode", factor: "bypass_code" };
  }
  if (resync) {
    const ok = await resyncHotp({ prisma, authenticatorId: resync.authenticatorId, code1: resync.firstCode, code2: step.code });
    return ok ? { ok, reason: "valid_passcode", factor: "hotp" } : { ok, reason: "invalid_passcode", factor: "hotp" };
  }
  const result = await verifyPasscode({ prisma, authenticatorIds: step.authenticatorIds, code: step.code, now });
  return result.ok ? { ok: true, reason: "valid_passcode", factor: result.kind ?? "passcode" } : { ok: false, reason: result.reason, factor: "passcode" };
};
