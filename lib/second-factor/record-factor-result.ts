import type { TPrisma } from "../db";
import { decideAfterFailure, type TAfterFailure } from "../policy/decide-after-failure";
import type { TFactorEntry } from "../policy/decision-types";
import type { TEffectivePolicy } from "../policy/policy-schemas";

// A verified factor takes effect in the statement that claims and spends it (claim-factor-attempt.ts). What follows
// is the failure side: the claim already counted the failure; the claim that reached the threshold locks.

export type TRecordFactorFailureOptions = {
  prisma: TPrisma;
  userId: string;
  policy: TEffectivePolicy;
  factorEntry: TFactorEntry;
  inChallenge: boolean;
  challengeAttempts: number;
  failedAttempts: number; // the attempt claimFactorAttempt claimed for this check: already counted
  now: Date;
};

// Locking starts the auto-unlock clock.
export const recordFactorFailure = async (options: TRecordFactorFailureOptions): Promise<TAfterFailure> => {
  const after = decideAfterFailure(options);
  if (after.lock) await lockUser(options);
  return after;
};

export type TLockAtThresholdOptions = { prisma: TPrisma; userId: string; lockoutThreshold: number; failedAttempts: number; now: Date };

// For failures outside the passcode flow (a wrong verified-push number): lock when this failure was the last allowed.
export const lockAtThreshold = async (options: TLockAtThresholdOptions): Promise<boolean> => {
  const lock = options.lockoutThreshold > 0 && options.failedAttempts >= options.lockoutThreshold;
  if (lock) await lockUser(options);
  return lock;
};

const lockUser = async ({ prisma, userId, now }: { prisma: TPrisma; userId: string; now: Date }) => {
  await prisma.user.updateMany({ where: { id: userId, status: "active" }, data: { status: "locked_out", lockedAt: now } });
};

export type TAutoUnlockUserOptions = { prisma: TPrisma; userId: string; policy: Pick<TEffectivePolicy, "autoUnlockMinutes">; now: Date };

// Only a lock older than the policy's minutes is lifted, checked in the UPDATE itself: a worker acting on a stale read
// must not lift a lock that a burst set again a moment ago (that would reset the counter mid-burst).
export const autoUnlockUser = async ({ prisma, userId, policy, now }: TAutoUnlockUserOptions): Promise<void> => {
  const minutes = policy.autoUnlockMinutes ?? 0;
  if (minutes <= 0) return;
  await prisma.user.updateMany({
    where: { id: userId, status: { in: ["locked_out", "active"] }, lockedAt: { lte: new Date(now.getTime() - minutes * 60_000) } },
    data: { status: "active", failedAttempts: 0, lockedAt: null },
  });
};
