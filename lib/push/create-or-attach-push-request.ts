import { randomInt } from "node:crypto";
import type { TPrisma } from "../db";

export type TPushLogin = {
  userId: string;
  applicationId: string;
  nasIp?: string; // NAS-IP-Address, else the NAS's UDP source
  callingStationId?: string;
};

export type TCreateOrAttachPushRequestOptions = {
  prisma: TPrisma;
  login: TPushLogin;
  policy: { pushTimeoutSec: number; pushRateLimitPerHour: number; verifiedPush: boolean };
  now: Date;
};

export type TPushRequestRow = { id: string; userId: string; verifyNumber: string | null; expiresAt: Date; createdAt: Date };
export type TCreateOrAttachResult =
  | { kind: "created"; request: TPushRequestRow }
  | { kind: "attached"; request: TPushRequestRow }
  | { kind: "rate_limited" };

// One login = user + application + NAS + Calling-Station-Id. The ASA retrying on a second Twofold server, or a user
// pressing "connect" again while the phone is still buzzing, is the same login and must not be a second push.
export const pushDedupeKey = ({ userId, applicationId, nasIp, callingStationId }: TPushLogin): string =>
  [userId, applicationId, nasIp ?? "", callingStationId ?? ""].join("|");

const SELECT = { id: true, userId: true, verifyNumber: true, expiresAt: true, createdAt: true } as const;
// Approved pushes, and those a passcode overtook (the user was there), do not count toward the rate limit.
export const RATE_LIMITED_STATUSES = ["pending", "timeout", "denied", "fraud"] as const;

const isUniqueViolation = (error: unknown): boolean => {
  const text = error instanceof Error ? `${(error as { code?: string }).code ?? ""} ${error.message}` : String(error);
  return /P2002|23505|unique/i.test(text);
};

// Exactly one pending PushRequest per dedupe key, enforced by the partial unique index (across workers): whoever loses
// the insert race attaches to the winner's row. The rate limit counts created pushes only, so attaching never costs,
// and of those only the ones nobody approved (pending, unanswered, denied, reported): push bombing is pushes the user
// does not answer, and a user who signs in ten times a day with approved pushes must never be locked out of push.
export const createOrAttachPushRequest = async ({ prisma, login, policy, now }: TCreateOrAttachPushRequestOptions): Promise<TCreateOrAttachResult> => {
  const dedupeKey = pushDedupeKey(login);
  // A pending row past its expiry was never answered (its worker died): it must not capture the next login.
  await prisma.pushRequest.updateMany({ where: { dedupeKey, status: "pending", expiresAt: { lte: now } }, data: { status: "timeout", decidedAt: now } });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const pending = await prisma.pushRequest.findFirst({ where: { dedupeKey, status: "pending" }, select: SELECT });
    if (pending) return { kind: "attached", request: pending };
    if (policy.pushRateLimitPerHour > 0) {
      const recent = await prisma.pushRequest.count({ where: { userId: login.userId, status: { in: [...RATE_LIMITED_STATUSES] }, createdAt: { gt: new Date(now.getTime() - 3_600_000) } } });
      if (recent >= policy.pushRateLimitPerHour) return { kind: "rate_limited" };
    }
    try {
      const request = await prisma.pushRequest.create({
        data: {
          userId: login.userId,
          applicationId: login.applicationId,
          nasIp: login.nasIp ?? null,
          callingStation: login.callingStationId ?? null,
          dedupeKey,
          // 10–999: two or three digits, shown on the phone, typed into the VPN client.
          verifyNumber: policy.verifiedPush ? String(randomInt(10, 1000)) : null,
          createdAt: now,
          expiresAt: new Date(now.getTime() + policy.pushTimeoutSec * 1000),
        },
        select: SELECT,
      });
      return { kind: "created", request };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another worker created it between our read and insert: attach on the next round.
    }
  }
  throw new Error("push request: could not create or attach");
};
