import type { TPrisma } from "../db";
import type { TFactorDb } from "../factors/factor-db";
import { decideAfterFailure, type TAfterFailure } from "../policy/decide-after-failure";
import type { TFactorEntry } from "../policy/decision-types";
import type { TEffectivePolicy } from "../policy/policy-schemas";

export type TGrant = { ok: true } | { ok: false; reason: "user_disabled" | "locked_out" };

// The moment a verified factor takes effect: only a user who may still sign in (not disabled or locked by an admin
// since the login began) is granted, and the run of consecutive failures ends. Called inside the transaction that
// consumed the factor, so a refusal here rolls the consumption back with it.
export const recordFactorSuccess = async ({ prisma, userId, now }: { prisma: Pick<TFactorDb, "user">; userId: string; now: Date }): Promise<TGrant> => {
  const granted = await prisma.user.updateMany({ where: { id: userId, status: { in: ["active", "bypass"] } }, data: { failedAttempts: 0, lastSeenAt: now } });
  if (granted.count === 1) return { ok: true };
  const row = await prisma.user.findUnique({ where: { id: userId }, select: { status: true } });
  return { ok: false, reason: !row || row.status === "disabled" ? "user_disabled" : "locked_out" };
};

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

// The failure was counted by the claim; the claim that reached the threshold locks (and starts the auto-unlock clock).
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
