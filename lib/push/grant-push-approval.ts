import type { TPrisma } from "../db";

export type TGrantPushApprovalOptions = { prisma: Pick<TPrisma, "$queryRaw" | "user">; requestId: string; userId: string; now: Date };
export type TPushGrant = { ok: true } | { ok: false; reason: "user_disabled" | "locked_out" | "no_response" };

// The phone said yes; access is granted only if, at this moment, the user may still sign in (an admin may have
// disabled or locked them, or a burst of wrong codes locked them, while the push was pending) and the request is still
// approved and unexpired. One statement: the user-row UPDATE re-checks both, so a concurrent disable either lands
// before it (refused) or after it (this login was already granted). The approval also ends a run of failures.
export const grantPushApproval = async ({ prisma, requestId, userId, now }: TGrantPushApprovalOptions): Promise<TPushGrant> => {
  // Times as epoch milliseconds: the columns are UTC without a zone, so no driver or session zone may shift them.
  const ms = now.getTime();
  const granted = await prisma.$queryRaw<unknown[]>`
    UPDATE "User" u SET "failedAttempts" = 0, "lastSeenAt" = to_timestamp(${ms}::float8 / 1000) AT TIME ZONE 'UTC'
    WHERE u.id = ${userId}::uuid AND u.status IN ('active', 'bypass')
      AND EXISTS (
        SELECT 1 FROM "PushRequest" p
        WHERE p.id = ${requestId}::uuid AND p."userId" = u.id AND p.status = 'approved' AND EXTRACT(EPOCH FROM p."expiresAt") * 1000 > ${ms}::float8
      )
    RETURNING u.id::text AS id`;
  if (granted.length > 0) return { ok: true };
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { status: true } });
  if (!user || user.status === "disabled") return { ok: false, reason: "user_disabled" };
  if (user.status === "locked_out") return { ok: false, reason: "locked_out" };
  return { ok: false, reason: "no_response" };
};
