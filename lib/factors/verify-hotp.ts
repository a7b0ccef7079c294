import type { TFactorDb } from "./factor-db";
import { decryptSecret } from "../secrets/envelope";
import type { TOtpResult } from "./verify-totp";
import { HOTP_LOOK_AHEAD, matchHotp } from "./match-otp-code";
import { parseOtpSecret, type TSuppliedCode } from "./otp-secret";

export { HOTP_LOOK_AHEAD };

export type TVerifyHotpOptions = { prisma: Pick<TFactorDb, "authenticator">; authenticatorId: string; code: TSuppliedCode; now: Date; lookAhead?: number };

// RFC 4226 with a look-ahead window from the next expected counter (button presses that never reached us). The counter
// moves past the match with a conditional UPDATE, so a code is accepted once even when two workers race.
export const verifyHotp = async ({ prisma, authenticatorId, code, now, lookAhead = HOTP_LOOK_AHEAD }: TVerifyHotpOptions): Promise<TOtpResult> => {
  const authenticator = await prisma.authenticator.findUnique({ where: { id: authenticatorId }, omit: { secret: false } });
  if (!authenticator?.secret || authenticator.kind !== "hotp") return { ok: false, reason: "invalid_passcode" };
  const secret = parseOtpSecret({ text: decryptSecret(authenticator.secret), encoding: "base32" });
  if ("error" in secret) return { ok: false, reason: "invalid_passcode" };
  const { counter: match, behind } = matchHotp({ secret, code, digits: authenticator.digits, counter: Number(authenticator.counter), lookAhead });
  // A code just behind the counter is a replay rather than a typo; say so in the log.
  if (match === undefined) return { ok: false, reason: behind ? "passcode_replayed" : "invalid_passcode" };
  const claimed = await prisma.authenticator.updateMany({
    where: { id: authenticatorId, counter: { lte: BigInt(match) } },
    data: { counter: BigInt(match + 1), lastUsedAt: now },
  });
  return claimed.count === 1 ? { ok: true, authenticatorId } : { ok: false, reason: "passcode_replayed" };
};
