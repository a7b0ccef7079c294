import { replyMessageFor } from "../auth-log/reason-messages";
import type { TPrisma } from "../db";
import type { TUserFacts } from "../policy/decision-types";
import type { TEffectivePolicy } from "../policy/policy-schemas";
import type { TSecondFactorOutcome, TSecondFactorRequest } from "../second-factor/types";
import type { TPushRuntime } from "./create-push-runtime";
import { createOrAttachPushRequest } from "./create-or-attach-push-request";
import { pushRateLimitMessage } from "./push-rate-limit-message";
import { sendPushNotifications } from "./send-push-notifications";
import { settlePush } from "./settle-push";
import { waitForPushDecision } from "./wait-for-push-decision";

export const VERIFY_PROMPT = "Approve on your phone and type the number it shows";
// A mistyped number: the same push, another try (within the challenge's attempts).
export const VERIFY_RETRY_PROMPT = "That is not the number your phone shows. Type the number it shows";
export const isVerifyPrompt = (text: string): boolean => text === VERIFY_PROMPT || text === VERIFY_RETRY_PROMPT;

export type TRunPushStepOptions = {
  prisma: TPrisma;
  runtime: TPushRuntime;
  request: TSecondFactorRequest;
  policy: TEffectivePolicy;
  userId: string;
  user: Pick<TUserFacts, "authenticators" | "hasBypassCodes">; // what else the user could sign in with (rate limit)
  // Verified push answers with an Access-Challenge bound to the push request.
  challenge: (replyMessage: string, pushRequestId: string) => Promise<TSecondFactorOutcome>;
  // Waiting for the phone is not a database call: the caller's database timeout must not fire during it.
  suspendTimeout: () => void;
};

// password,push / "1 for push": create the login's push (or attach to the pending one, on any worker), notify every
// device, then either wait for the decision (LISTEN, no polling) or, with verified push, challenge for the number.
// Every outcome carries the push request's id as the login's id: a second worker attached to it logs the same login.
export const runPushStep = async ({ prisma, runtime, request, policy, userId, user, challenge, suspendTimeout }: TRunPushStepOptions): Promise<TSecondFactorOutcome> => {
  const now = request.now;
  const result = await createOrAttachPushRequest({
    prisma,
    login: {
      userId,
      applicationId: request.applicationId,
      radiusClientId: request.radiusClientId,
      nasIp: request.nasIp ?? request.clientAddress,
      callingStationId: request.callingStationId,
      ...request.session,
    },
    policy,
    details: request.pushDetails,
    now,
  });
  if (result.kind === "rate_limited") return { decision: "reject", reason: "push_rate_limited", replyMessage: pushRateLimitMessage({ user, policy }), factor: "push", userId };
  if (result.kind === "other_login_pending") return { decision: "reject", reason: "push_pending", replyMessage: replyMessageFor({ reason: "push_pending" }), factor: "push", userId };
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
        details: request.pushDetails ?? [],
      },
    }).catch(() => undefined);
  }
  if (pushRequest.verifyNumber) return { ...(await challenge(VERIFY_PROMPT, pushRequest.id)), loginId: pushRequest.id };
  suspendTimeout();
  const status = await waitForPushDecision({ prisma, listener: runtime.listener, requestId: pushRequest.id, expiresAt: pushRequest.expiresAt });
  return settlePush({ prisma, status, requestId: pushRequest.id, userId });
};
