import type { TPrisma } from "../db";
import { resyncHotp } from "../factors/resync-hotp";
import { verifyBypassCode } from "../factors/verify-bypass-code";
import { verifyPasscode } from "../factors/verify-passcode";

export type TVerifySuppliedFactorOptions = {
  prisma: TPrisma;
  userId: string;
  step: { step: "verify_passcode"; code: string; authenticatorIds: string[] } | { step: "verify_bypass"; code: string };
  resync?: { authenticatorId: string; firstCode: string }; // answering "enter the next code" for a drifted HOTP token
  now: Date;
};

export type TSuppliedFactorResult =
  | { ok: true; reason: "valid_passcode" | "bypass_code"; factor: string }
  | { ok: false; reason: "invalid_passcode" | "passcode_replayed"; factor: string };

// One passcode, bypass code or resync answer checked against the database; each check consumes what it accepts.
export const verifySuppliedFactor = async ({ prisma, userId, step, resync, now }: TVerifySuppliedFactorOptions): Promise<TSuppliedFactorResult> => {
  if (step.step === "verify_bypass") {
    const ok = await verifyBypassCode({ prisma, userId, code: step.code, now });
    return ok ? { ok, reason: "bypass_code", factor: "bypass_code" } : { ok, reason: "invalid_passcode", factor: "bypass_code" };
  }
  if (resync && step.authenticatorIds.includes(resync.authenticatorId)) {
    const ok = await resyncHotp({ prisma, authenticatorId: resync.authenticatorId, code1: resync.firstCode, code2: step.code });
    return ok ? { ok, reason: "valid_passcode", factor: "hotp" } : { ok, reason: "invalid_passcode", factor: "hotp" };
  }
  const result = await verifyPasscode({ prisma, authenticatorIds: step.authenticatorIds, code: step.code, now });
  return result.ok ? { ok: true, reason: "valid_passcode", factor: result.kind ?? "passcode" } : { ok: false, reason: result.reason, factor: "passcode" };
};
