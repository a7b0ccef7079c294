import { randomInt } from "node:crypto";
import { storableText } from "../auth-log/storable-text";
import type { TPrisma } from "../db";
import type { TPushDetails } from "./push-schemas";
import { pushLoginKey, type TPushLogin } from "./push-login-key";

export type TCreateOrAttachPushRequestOptions = {
  prisma: TPrisma;
  login: TPushLogin;
  policy: { pushTimeoutSec: number; pushRateLimitPerHour: number; verifiedPush: boolean };
  details?: TPushDetails; // stored with a push this creates (an attached one keeps its own)
  now: Date;
};

export type TPushRequestRow = { id: string; userId: string; verifyNumber: string | null; expiresAt: Date; createdAt: Date };
// other_login_pending: this login carries nothing that tells it from the user's push already pending on this NAS, so
// it may neither share that push (one approval would let both in) nor buzz the phone a second time.
export type TCreateOrAttachResult =
  | { kind: "created"; request: TPushRequestRow }
  | { kind: "attached"; request: TPushRequestRow }
  | { kind: "rate_limited" }
  | { kind: "other_login_pending" };

const SELECT = { id: true, userId: true, verifyNumber: true, expiresAt: true, createdAt: true } as const;
// Approved pushes, and those a passcode overtook (the user was there), do not count toward the rate limit.
export const RATE_LIMITED_STATUSES = ["pending", "timeout", "denied", "fraud"] as const;

// One user's pushes are decided one at a time on every worker (a transaction-scoped advisory lock on the user id):
// the attach, the rate limit's count and the insert it allows see each other, so a burst over many workers can
// neither send a second push for one login nor more than the limit. The partial unique index on the key stays as
// the backstop. The rate limit counts created pushes only, so attaching never costs, and of those only the ones nobody
// approved (pending, unanswered, denied, reported): push bombing is pushes the user does not answer, and a user who
// signs in ten times a day with approved pushes must never be locked out of push.
export const createOrAttachPushRequest = async ({ prisma, login, policy, details, now }: TCreateOrAttachPushRequestOptions): Promise<TCreateOrAttachResult> => {
  const { key: dedupeKey, sessionBound } = pushLoginKey(login);
  const nasIp = login.nasIp ?? null;
  return prisma.$transaction(
    async (tx): Promise<TCreateOrAttachResult> => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('twofold:push'), hashtext(${login.userId}))`;
      // A pending row past its expiry was never answered (its worker died): it must not capture the next login.
      await tx.pushRequest.updateMany({ where: { userId: login.userId, status: "pending", expiresAt: { lte: now } }, data: { status: "timeout", decidedAt: now } });
      const pending = await tx.pushRequest.findFirst({ where: { dedupeKey, status: "pending" }, select: SELECT });
      if (pending) return { kind: "attached", request: pending };
      if (!sessionBound) {
        const other = await tx.pushRequest.findFirst({ where: { userId: login.userId, applicationId: login.applicationId, nasIp, status: "pending" }, select: { id: true } });
        if (other) return { kind: "other_login_pending" };
      }
      if (policy.pushRateLimitPerHour > 0) {
        const recent = await tx.pushRequest.count({ where: { userId: login.userId, status: { in: [...RATE_LIMITED_STATUSES] }, createdAt: { gt: new Date(now.getTime() - 3_600_000) } } });
        if (recent >= policy.pushRateLimitPerHour) return { kind: "rate_limited" };
      }
      const request = await tx.pushRequest.create({
        data: {
          userId: login.userId,
          applicationId: login.applicationId,
          nasIp,
          callingStation: login.callingStationId === undefined ? null : storableText(login.callingStationId),
          dedupeKey,
          // 10–999: two or three digits, shown on the phone, typed into the VPN client.
          verifyNumber: policy.verifiedPush ? String(randomInt(10, 1000)) : null,
          ...(details?.length ? { details } : {}),
          createdAt: now,
          expiresAt: new Date(now.getTime() + policy.pushTimeoutSec * 1000),
        },
        select: SELECT,
      });
      return { kind: "created", request };
    },
    // A burst for one user queues on the lock; the login's own database timeout bounds the wait.
    { maxWait: 10_000, timeout: 10_000 },
  );
};
