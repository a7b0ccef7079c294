import type { TPrisma } from "../db";

export const ENROLLMENT_MAX_PASSWORD_FAILURES = 5;

// Someone holding a leaked link must not get unlimited password guesses on the page. Failures are counted per link in
// this process; at the limit the link is spent in the database, which holds for every console process.
const failures = new Map<string, number>();

export type TCountPasswordFailureOptions = { prisma: TPrisma; linkId: string; now?: Date };

export const countEnrollmentPasswordFailure = async ({ prisma, linkId, now = new Date() }: TCountPasswordFailureOptions): Promise<{ spent: boolean }> => {
  const count = (failures.get(linkId) ?? 0) + 1;
  failures.set(linkId, count);
  if (count < ENROLLMENT_MAX_PASSWORD_FAILURES) return { spent: false };
  failures.delete(linkId);
  await prisma.enrollmentLink.updateMany({ where: { id: linkId, usedAt: null }, data: { usedAt: now } });
  return { spent: true };
};
