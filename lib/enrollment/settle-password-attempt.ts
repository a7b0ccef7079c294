import type { TPrisma } from "../db";
import { ENROLLMENT_MAX_PASSWORD_FAILURES } from "./claim-password-attempt";

export type TSettlePasswordAttemptOptions = { prisma: Pick<TPrisma, "$queryRaw" | "$executeRaw">; linkId: string; wrong: boolean; now: Date };

// After the check that claimPasswordAttempt let run. Only a password the primary called wrong keeps its claim; a right
// one, or a check that gave no verdict (primary unreachable, an error), hands its own claim back: a user who reloads
// the page is not counted, and a refund never wipes the claims of checks still in flight. A wrong one that leaves the
// limit reached spends the link. Returns whether the link is now spent by wrong passwords.
export const settlePasswordAttempt = async ({ prisma, linkId, wrong, now }: TSettlePasswordAttemptOptions): Promise<boolean> => {
  if (!wrong) {
    await prisma.$executeRaw`UPDATE "EnrollmentLink" SET "passwordFailures" = GREATEST("passwordFailures" - 1, 0) WHERE id = ${linkId}::uuid`;
    return false;
  }
  // A link already spent (by another failure, or an enrollment that finished meanwhile) keeps its time.
  const ms = now.getTime();
  const spent = await prisma.$queryRaw<unknown[]>`
    UPDATE "EnrollmentLink" SET "usedAt" = COALESCE("usedAt", to_timestamp(${ms}::float8 / 1000) AT TIME ZONE 'UTC')
    WHERE id = ${linkId}::uuid AND "passwordFailures" >= ${ENROLLMENT_MAX_PASSWORD_FAILURES}
    RETURNING 1 AS spent`;
  return spent.length > 0;
};
