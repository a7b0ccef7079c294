import type { TAuthReason } from "../auth-log/reason-codes";
import type { TPrisma } from "../db";
import type { TEffectivePolicy } from "../policy/policy-schemas";
import { claimFactorAttempt } from "../second-factor/claim-factor-attempt";
import { lockAtThreshold } from "../second-factor/record-factor-result";
import type { TSecondFactorOutcome, TSecondFactorRequest } from "../second-factor/types";
import { cancelPendingPushes } from "./cancel-pending-pushes";
import type { TPushRuntime } from "./create-push-runtime";
import { createOrAttachPushRequest } from "./create-or-attach-push-request";
import { sendPushNotifications } from "./send-push-notifications";
import { refusedPushOutcome, settlePush } from "./settle-push";
import { waitForPushDecision } from "./wait-for-push-decision";

export const VERIFY_PROMPT = "Approve on your phone and type the number it shows";

export type TRunPushStepOptions = {
  prisma: TPrisma;
  runtime: TPushRuntime;
  request: TSecondFactorRequest;
  policy: TEffectivePolicy;
  userId: string;
  // Verified push answers with an Access-Challenge bound to the push request.
  challenge: (replyMessage: string, pushRequestId: string) => Promise<TSecondFactorOutcome>;
  // Waiting for the phone is not a database call: the caller's database timeout must not fire during it.
  suspendTimeout: () => void;
};

// password,push / "1 for push": create the login's push (or attach to the pending one, on any worker), notify every
// device, then either wait for the decision (LISTEN, no polling) or, with verified push, challenge for the number.
export const runPushStep = async ({ prisma, runtime, request, policy, userId, challenge, suspendTimeout }: TRunPushStepOptions): Promise<TSecondFactorOutcome> => {
  const now = request.now;
  const result = await createOrAttachPushRequest({
    prisma,
    login: { userId, applicationId: request.applicationId, nasIp: request.nasIp ?? request.clientAddress, callingStationId: request.callingStationId },
    policy,
    now,
  });
  if (result.kind === "rate_limited") {
    const reason: TAuthReason = "push_rate_limited";
    return { decision: "reject", reason, replyMessage: "Too many push requests. Sign in with a passcode instead.", factor: "push", userId };
  }
  const pushRequest = result.request;
  if (result.kind === "created") {
    const application = await prisma.application.findUnique({ where: { id: request.applicationId }, select: { name: true } });
    void sendPushNotifications({
      prisma,
      userId,
      subject: runtime.subject,
      ttlSec: policy.pushTimeoutSec,
      fetchImpl: runtime.fetchImpl,
      notice: {
        requestId: pushRequest.id,
        application: application?.name ?? "",
        time: now.toISOString(),
        nasIp: request.nasIp ?? request.clientAddress,
        callingStationId: request.callingStationId ?? null,
        verifyNumber: pushRequest.verifyNumber,
      },
    }).catch(() => undefined);
  }
  if (pushRequest.verifyNumber) return challenge(VERIFY_PROMPT, pushRequest.id);
  suspendTimeout();
  const status = await waitForPushDecision({ prisma, listener: runtime.listener, requestId: pushRequest.id, expiresAt: pushRequest.expiresAt });
  return settlePush({ prisma, status, requestId: pushRequest.id, userId });
};

export type TRunPushVerifyAnswerOptions = {
  prisma: TPrisma;
  runtime: TPushRuntime;
  pushRequestId: string;
  userId: string;
  answer: string;
  policy: Pick<TEffectivePolicy, "lockoutThreshold">;
  now: Date;
  suspendTimeout: () => void;
};

// The NAS's answer to "type the number it shows". A passcode instead overtakes the push (undefined: the caller
// verifies it as usual); the right number waits for the phone's approval; anything else ends the push. A typed number
// is a guess at a secret like a passcode, so it claims a lockout attempt first; only an approval gives it back.
export const runPushVerifyAnswer = async ({ prisma, runtime, pushRequestId, userId, answer, policy, now, suspendTimeout }: TRunPushVerifyAnswerOptions): Promise<TSecondFactorOutcome | undefined> => {
  const text = answer.trim();
  if (/^\d{6,16}$/.test(text)) {
    await cancelPendingPushes({ prisma, userId, requestId: pushRequestId, now });
    return undefined;
  }
  const row = await prisma.pushRequest.findUnique({ where: { id: pushRequestId }, select: { verifyNumber: true, expiresAt: true, userId: true } });
  if (!row || row.userId !== userId) return { decision: "reject", reason: "challenge_invalid_state", replyMessage: "The sign-in attempt expired. Please sign in again.", userId };
  const claim = await claimFactorAttempt({ prisma, userId, lockoutThreshold: policy.lockoutThreshold });
  if (!claim.ok) {
    await cancelPendingPushes({ prisma, userId, requestId: pushRequestId, now });
    return refusedPushOutcome(claim.reason, userId);
  }
  if (!row.verifyNumber || text !== row.verifyNumber) {
    await cancelPendingPushes({ prisma, userId, requestId: pushRequestId, now });
    const locked = await lockAtThreshold({ prisma, userId, lockoutThreshold: policy.lockoutThreshold, failedAttempts: claim.attempt, now });
    const replyMessage = locked ? "Too many failed attempts: your account is locked. Contact your helpdesk." : "That is not the number your phone shows.";
    return { decision: "reject", reason: "invalid_passcode", replyMessage, factor: "push", userId };
  }
  suspendTimeout();
  const status = await waitForPushDecision({ prisma, listener: runtime.listener, requestId: pushRequestId, expiresAt: row.expiresAt });
  const outcome = await settlePush({ prisma, status, requestId: pushRequestId, userId });
  // Not approved: the claimed attempt stands as a failure, and the last one allowed locks, as for a wrong number.
  if (outcome.decision !== "accept") await lockAtThreshold({ prisma, userId, lockoutThreshold: policy.lockoutThreshold, failedAttempts: claim.attempt, now });
  return outcome;
};
