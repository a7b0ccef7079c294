import { z } from "zod";
import type { TFactorDb } from "../factors/factor-db";

export type TSpendEnrollmentLinkOptions = {
  prisma: Pick<TFactorDb, "$queryRaw" | "enrollmentLink" | "authenticator">;
  linkId: string;
  userId: string;
  enrolling?: string; // the authenticator this enrollment activates (already active in this transaction): not "another"
  now: Date;
};
export type TSpendResult = "spent" | "used" | "expired" | "disabled" | "locked" | "enrolled";

const ZStatusRowSchema = z.object({ status: z.enum(["active", "bypass", "disabled", "locked_out"]) });

// Inside the transaction that activates the new authenticator: the checks made when the page opened may be stale by
// now (an admin disabled or locked the user, a burst of wrong codes locked them, another device used the link, it
// expired, the user enrolled another factor). The user row is held FOR NO KEY UPDATE so a disable or lock cannot slip
// in before this transaction commits (it waits, and lands after the enrollment), and so two enrollments of one user
// take turns: the second counts the first's authenticator once it committed. A first-factor link (not an admin's) is
// refused once the user has an active authenticator besides the one being enrolled: it was issued after the password
// alone, and must not add a second factor to an account that has one. The link is spent only while unused and unexpired.
export const spendEnrollmentLink = async ({ prisma, linkId, userId, enrolling, now }: TSpendEnrollmentLinkOptions): Promise<TSpendResult> => {
  const rows = await prisma.$queryRaw<unknown[]>`SELECT status::text AS status FROM "User" WHERE id = ${userId}::uuid FOR NO KEY UPDATE`;
  const user = rows[0] === undefined ? undefined : ZStatusRowSchema.parse(rows[0]);
  if (!user || user.status === "disabled") return "disabled";
  if (user.status === "locked_out") return "locked";
  const issued = await prisma.enrollmentLink.findUnique({ where: { id: linkId }, select: { mayAddFactor: true } });
  if (issued && !issued.mayAddFactor) {
    const others = await prisma.authenticator.count({ where: { userId, active: true, ...(enrolling ? { id: { not: enrolling } } : {}) } });
    if (others > 0) return "enrolled";
  }
  const spent = await prisma.enrollmentLink.updateMany({ where: { id: linkId, userId, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (spent.count === 1) return "spent";
  const link = await prisma.enrollmentLink.findUnique({ where: { id: linkId }, select: { usedAt: true } });
  return link?.usedAt ? "used" : "expired";
};
