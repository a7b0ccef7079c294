import type { TAuthReason } from "../auth-log/reason-codes";
import type { TPrisma } from "../db";
import type { TEffectivePolicy } from "../policy/policy-schemas";
import type { TSecondFactorOutcome, TSecondFactorRequest } from "../second-factor/types";
import { cancelPendingPushes } from "./cancel-pending-pushes";
import type { TPushRuntime } from "./create-push-runtime";
import { createOrAttachPushRequest } from "./create-or-attach-push-request";
import type { TPushStatus } from "./push-schemas";
import { sendPushNotifications } from "./send-push-notifications";
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

export const pushOutcome = (status: TPushStatus, userId: string): TSecondFactorOutcome => {
  switch (status) {
    case "approved":
      return { decision: "accept", reason: "valid_push", factor: "push", userId };
    case "fraud":
      return { decision: "reject", reason: "user_marked_fraud", replyMessage: "Sign-in denied and reported. Contact your helpdesk.", factor: "push", userId, fraud: true };
    case "denied":
      return { decision: "reject", reason: "push_denied", replyMessage: "Sign-in denied on your phone.", factor: "push", userId };
    default:
      // timeout, or cancelled because a passcode overtook it: either way this request was not approved in time.
      return { decision: "reject", reason: "no_response", replyMessage: "No answer from your phone. Try again, or use a passcode.", factor: "push", userId };
  }
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
  return pushOutcome(await waitForPushDecision({ prisma, listener: runtime.listener, requestId: pushRequest.id, expiresAt: pushRequest.expiresAt }), userId);
};

export type TRunPushVerifyAnswerOptions = {
  prisma: TPrisma;
  runtime: TPushRuntime;
  pushRequestId: string;
  userId: string;
  answer: string;
  now: Date;
  suspendTimeout: () => void;
};

// The NAS's answer to "type the number it shows". A passcode instead overtakes the push (undefined: the caller
// verifies it as usual); the right number waits for the phone's approval; anything else ends the push.
export const runPushVerifyAnswer = async ({ prisma, runtime, pushRequestId, userId, answer, now, suspendTimeout }: TRunPushVerifyAnswerOptions): Promise<TSecondFactorOutcome | undefined> => {
  const text = answer.trim();
  if (/^\d{6,16}$/.test(text)) {
    await cancelPendingPushes({ prisma, userId, requestId: pushRequestId, now });
    return undefined;
  }
  const row = await prisma.pushRequest.findUnique({ where: { id: pushRequestId }, select: { verifyNumber: true, expiresAt: true, userId: true } });
  if (!row || row.userId !== userId) return { decision: "reject", reason: "challenge_invalid_state", replyMessage: "The sign-in attempt expired. Please sign in again.", userId };
  if (!row.verifyNumber || text !== row.verifyNumber) {
    await cancelPendingPushes({ prisma, userId, requestId: pushRequestId, now });
    return { decision: "reject", reason: "invalid_passcode", replyMessage: "That is not the number your phone shows.", factor: "push", userId };
  }
  suspendTimeout();
  return pushOutcome(await waitForPushDecision({ prisma, listener: runtime.listener, requestId: pushRequestId, expiresAt: row.expiresAt }), userId);
};
