import type { TPrisma } from "../db";
import { decideAfterFailure, type TAfterFailure } from "../policy/decide-after-failure";
import type { TFactorEntry } from "../policy/decision-types";
import type { TEffectivePolicy } from "../policy/policy-schemas";

// A success ends the run of consecutive failures (lockout counts consecutive ones only).
export const recordFactorSuccess = async ({ prisma, userId, now }: { prisma: TPrisma; userId: string; now: Date }): Promise<void> => {
  await prisma.user.update({ where: { id: userId }, data: { failedAttempts: 0, lastSeenAt: now } });
};

export type TRecordFactorFailureOptions = {
  prisma: TPrisma;
  userId: string;
  policy: TEffectivePolicy;
  factorEntry: TFactorEntry;
  inChallenge: boolean;
  challengeAttempts: number;
  now: Date;
};

// The counter is incremented in the database (not read-modify-write) so failures on two workers both count.
export const recordFactorFailure = async (options: TRecordFactorFailureOptions): Promise<TAfterFailure> => {
  const { prisma, userId, now } = options;
  const updated = await prisma.user.update({ where: { id: userId }, data: { failedAttempts: { increment: 1 } }, select: { failedAttempts: true } });
  const after = decideAfterFailure({ ...options, failedAttempts: updated.failedAttempts });
  if (after.lock) await prisma.user.updateMany({ where: { id: userId, status: "active" }, data: { status: "locked_out", lockedAt: now } });
  return after;
};

export const autoUnlockUser = async ({ prisma, userId }: { prisma: TPrisma; userId: string }): Promise<void> => {
  await prisma.user.updateMany({ where: { id: userId, status: { in: ["locked_out", "active"] } }, data: { status: "active", failedAttempts: 0, lockedAt: null } });
};
