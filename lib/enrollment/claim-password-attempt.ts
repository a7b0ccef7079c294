import { z } from "zod";
import type { TPrisma } from "../db";

export const ENROLLMENT_MAX_PASSWORD_FAILURES = 5;

export type TClaimPasswordAttemptOptions = { prisma: Pick<TPrisma, "$queryRaw">; linkId: string; now: Date };
// ok: this check may run, `attempt` the failures claimed so far, this one included. Refused: why, read afresh.
export type TPasswordClaim = { ok: true; attempt: number } | { ok: false; reason: "too_many" | "invalid" | "used" | "expired" };

const ZClaimRowSchema = z.object({ attempt: z.number().int() });
const ZLinkRowSchema = z.object({ usedAt: z.date().nullable(), failures: z.number().int() });

// Someone holding a leaked link must not get unlimited password guesses on the page. Each check first claims a
// failure in the link's row, in one conditional UPDATE that PostgreSQL serializes on that row across every console
// process: a burst gets at most ENROLLMENT_MAX_PASSWORD_FAILURES claims, in flight or decided, and the rest are
// refused before any password is checked. Times as epoch milliseconds: the columns are UTC without a zone.
export const claimPasswordAttempt = async ({ prisma, linkId, now }: TClaimPasswordAttemptOptions): Promise<TPasswordClaim> => {
  const ms = now.getTime();
  const claimed = await prisma.$queryRaw<unknown[]>`
    UPDATE "EnrollmentLink" SET "passwordFailures" = "passwordFailures" + 1
    WHERE id = ${linkId}::uuid AND "usedAt" IS NULL AND "passwordFailures" < ${ENROLLMENT_MAX_PASSWORD_FAILURES}
      AND EXTRACT(EPOCH FROM "expiresAt") * 1000 > ${ms}::float8
    RETURNING "passwordFailures" AS attempt`;
  if (claimed[0] !== undefined) return { ok: true, attempt: ZClaimRowSchema.parse(claimed[0]).attempt };
  const rows = await prisma.$queryRaw<unknown[]>`
    SELECT "usedAt", "passwordFailures" AS failures FROM "EnrollmentLink" WHERE id = ${linkId}::uuid`;
  const link = rows[0] === undefined ? undefined : ZLinkRowSchema.parse(rows[0]);
  if (!link) return { ok: false, reason: "invalid" };
  if (link.failures >= ENROLLMENT_MAX_PASSWORD_FAILURES) return { ok: false, reason: "too_many" };
  return { ok: false, reason: link.usedAt ? "used" : "expired" };
};
