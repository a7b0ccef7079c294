import { z } from "zod";
import type { TPrisma } from "../db";
import type { TSecondFactorOutcome } from "../second-factor/types";

export const FRAUD_LOCKED_REPLY = "Your account is locked because a sign-in request was reported as not yours on your phone. Contact your helpdesk.";

const ZRowSchema = z.object({ fraud: z.boolean() });

// "Deny — this wasn't me" locks the user (decide-push.ts). The logins after it are refused as locked_out like any
// lock, but the user must be told why: not "too many failed attempts", which they never made. The lock is the fraud
// report's when that report was decided at or after the lock's time (a later lock by failures is newer than it).
// Total: an explanation that cannot be read keeps the outcome as it was.
export const explainFraudLock = async ({ prisma, outcome }: { prisma: Pick<TPrisma, "$queryRaw">; outcome: TSecondFactorOutcome }): Promise<TSecondFactorOutcome> => {
  if (outcome.decision !== "reject" || outcome.reason !== "locked_out" || !outcome.userId) return outcome;
  try {
    const rows = await prisma.$queryRaw<unknown[]>`
      SELECT EXISTS (
        SELECT 1 FROM "User" u JOIN "PushRequest" p ON p."userId" = u.id
        WHERE u.id = ${outcome.userId}::uuid AND u.status = 'locked_out' AND u."lockedAt" IS NOT NULL
          AND p.status = 'fraud' AND p."decidedAt" >= u."lockedAt"
      ) AS fraud`;
    const row = ZRowSchema.safeParse(rows[0]);
    return row.success && row.data.fraud ? { ...outcome, replyMessage: FRAUD_LOCKED_REPLY } : outcome;
  } catch {
    return outcome;
  }
};
