import { z } from "zod";
import type { TFactorDb } from "../factors/factor-db";

export type TClaimFactorAttemptOptions = { prisma: Pick<TFactorDb, "$queryRaw" | "user">; userId: string; lockoutThreshold: number };
export type TFactorClaim = { ok: true; attempt: number } | { ok: false; reason: "locked_out" | "user_disabled" };

const ZClaimRowSchema = z.object({ failedAttempts: z.number().int() });

// Every factor check (passcode, bypass code, verified-push number) first claims one attempt, in one conditional
// UPDATE that Postgres serializes on the user row across workers. The claim is the failure counted in advance: a
// success resets it, a failure lets it stand. So a burst on any number of workers verifies at most `lockoutThreshold`
// codes, and once that many are in flight or spent the rest are refused unverified — the right code among them too.
// Threshold 0 means lockout is off: the count goes on, nothing is refused for it.
export const claimFactorAttempt = async ({ prisma, userId, lockoutThreshold }: TClaimFactorAttemptOptions): Promise<TFactorClaim> => {
  const rows = await prisma.$queryRaw<unknown[]>`
    UPDATE "User" SET "failedAttempts" = "failedAttempts" + 1
    WHERE id = ${userId}::uuid AND status IN ('active', 'bypass') AND (${lockoutThreshold}::int = 0 OR "failedAttempts" < ${lockoutThreshold}::int)
    RETURNING "failedAttempts"`;
  if (rows[0] !== undefined) return { ok: true, attempt: ZClaimRowSchema.parse(rows[0]).failedAttempts };
  // Refused: read afresh (not in the UPDATE's snapshot) to tell a disable from a lock. A deleted user is refused too.
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { status: true } });
  return { ok: false, reason: !user || user.status === "disabled" ? "user_disabled" : "locked_out" };
};
