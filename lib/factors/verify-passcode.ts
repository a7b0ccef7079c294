import type { TFactorDb } from "./factor-db";
import type { TSuppliedCode } from "./otp-secret";
import { verifyHotp } from "./verify-hotp";
import { verifyTotp, type TOtpResult } from "./verify-totp";

export type TVerifyPasscodeOptions = { prisma: Pick<TFactorDb, "authenticator">; authenticatorIds: string[]; code: TSuppliedCode; now: Date };

// Tries each of the user's passcode authenticators; a replay on one is reported only if no other accepts the code.
export const verifyPasscode = async ({ prisma, authenticatorIds, code, now }: TVerifyPasscodeOptions): Promise<TOtpResult & { kind?: "totp" | "hotp" }> => {
  const authenticators = await prisma.authenticator.findMany({ where: { id: { in: authenticatorIds }, active: true }, select: { id: true, kind: true } });
  let result: TOtpResult = { ok: false, reason: "invalid_passcode" };
  for (const { id, kind } of authenticators) {
    if (kind !== "totp" && kind !== "hotp") continue;
    const attempt = kind === "totp" ? await verifyTotp({ prisma, authenticatorId: id, code, now }) : await verifyHotp({ prisma, authenticatorId: id, code, now });
    if (attempt.ok) return { ...attempt, kind };
    if (attempt.reason === "passcode_replayed") result = attempt;
  }
  return result;
};
