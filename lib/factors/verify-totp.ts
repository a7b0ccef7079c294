import type { TFactorDb } from "./factor-db";
import { decryptSecret } from "../secrets/envelope";
import { matchTotp } from "./match-otp-code";
import { parseOtpSecret, type TSuppliedCode } from "./otp-secret";

export type TVerifyTotpOptions = { prisma: Pick<TFactorDb, "authenticator">; authenticatorId: string; code: TSuppliedCode; now: Date };
export type TOtpResult = { ok: true; authenticatorId: string } | { ok: false; reason: "invalid_passcode" | "passcode_replayed" };

// RFC 6238 (SHA-1, the authenticator's digits/period/drift). TOTP is HOTP over the time step, so the same matcher serves.
// Replay: the step is claimed with one conditional UPDATE; Postgres serializes it on the row, so of two workers given
// the same code at once exactly one sees a row updated. A code from a step at or before the last used one is a replay.
export const verifyTotp = async ({ prisma, authenticatorId, code, now }: TVerifyTotpOptions): Promise<TOtpResult> => {
  const authenticator = await prisma.authenticator.findUnique({ where: { id: authenticatorId }, omit: { secret: false } });
  if (!authenticator?.secret || authenticator.kind !== "totp") return { ok: false, reason: "invalid_passcode" };
  const secret = parseOtpSecret({ text: decryptSecret(authenticator.secret), encoding: "base32" });
  if ("error" in secret) return { ok: false, reason: "invalid_passcode" };
  const step = matchTotp({ secret, code, digits: authenticator.digits, periodSec: authenticator.periodSec, driftSteps: authenticator.driftSteps, now });
  if (step === undefined) return { ok: false, reason: "invalid_passcode" };
  const claimed = await prisma.authenticator.updateMany({
    where: { id: authenticatorId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: BigInt(step) } }] },
    data: { lastUsedStep: BigInt(step), lastUsedAt: now },
  });
  return claimed.count === 1 ? { ok: true, authenticatorId } : { ok: false, reason: "passcode_replayed" };
};
