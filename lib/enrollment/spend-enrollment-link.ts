import { z } from "zod";
import type { TFactorDb } from "../factors/factor-db";

export type TSpendEnrollmentLinkOptions = { prisma: Pick<TFactorDb, "$queryRaw" | "enrollmentLink">; linkId: string; userId: string; now: Date };
export type TSpendResult = "spent" | "used" | "expired" | "disabled" | "locked";

const ZStatusRowSchema = z.object({ status: z.enum(["active", "bypass", "disabled", "locked_out"]) });

// Inside the transaction that activates the new authenticator: the checks made when the page opened may be stale by
// now (an admin disabled or locked the user, a burst of wrong codes locked them, another device used the link, it
// expired). The user row is held FOR SHARE so a disable or lock cannot slip in before this transaction commits (it
// waits, and lands after the enrollment); the link is spent only while unused and unexpired.
export const spendEnrollmentLink = async ({ prisma, linkId, userId, now }: TSpendEnrollmentLinkOptions): Promise<TSpendResult> => {
  const rows = await prisma.$queryRaw<unknown[]>`SELECT status::text AS status FROM "User" WHERE id = ${userId}::uuid FOR SHARE`;
  const user = rows[0] === undefined ? undefined : ZStatusRowSchema.parse(rows[0]);
  if (!user || user.status === "disabled") return "disabled";
  if (user.status === "locked_out") return "locked";
  const spent = await prisma.enrollmentLink.updateMany({ where: { id: linkId, userId, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (spent.count === 1) return "spent";
  const link = await prisma.enrollmentLink.findUnique({ where: { id: linkId }, select: { usedAt: true } });
  return link?.usedAt ? "used" : "expired";
};
