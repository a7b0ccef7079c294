import { replyMessageFor } from "../auth-log/reason-messages";
import type { TPrisma } from "../db";
import type { TSecondFactorOutcome } from "../second-factor/types";
import { grantPushApproval } from "./grant-push-approval";
import type { TPushStatus } from "./push-schemas";

export const FRAUD_REPLY = replyMessageFor({ reason: "user_marked_fraud" });

// `loginId` is the push request: every worker that attached to it logs the same login under it.
export const pushOutcome = (status: TPushStatus, userId: string, loginId: string): TSecondFactorOutcome => {
  switch (status) {
    case "approved":
      return { decision: "accept", reason: "valid_push", factor: "push", userId, loginId };
    case "fraud":
      return { decision: "reject", reason: "user_marked_fraud", replyMessage: FRAUD_REPLY, factor: "push", userId, fraud: true, loginId };
    case "denied":
      return { decision: "reject", reason: "push_denied", replyMessage: replyMessageFor({ reason: "push_denied" }), factor: "push", userId, loginId };
    default:
      // timeout, or cancelled because a passcode overtook it: either way this request was not approved in time.
      return { decision: "reject", reason: "no_response", replyMessage: replyMessageFor({ reason: "no_response" }), factor: "push", userId, loginId };
  }
};

// The user may no longer sign in: disabled or locked since the login began.
export const refusedPushOutcome = (reason: "user_disabled" | "locked_out", userId: string, loginId: string): TSecondFactorOutcome => ({ decision: "reject", reason, replyMessage: replyMessageFor({ reason }), factor: "push", userId, loginId });

export type TSettlePushOptions = { prisma: TPrisma; status: TPushStatus; requestId: string; userId: string };

// The phone's answer becomes the login's answer; an approval only through grantPushApproval, which re-checks the user
// and the request at this moment (the decision may have come long after the login's own checks).
export const settlePush = async ({ prisma, status, requestId, userId }: TSettlePushOptions): Promise<TSecondFactorOutcome> => {
  if (status !== "approved") return pushOutcome(status, userId, requestId);
  const grant = await grantPushApproval({ prisma, requestId, userId, now: new Date() });
  if (grant.ok) return pushOutcome("approved", userId, requestId);
  if (grant.reason === "no_response") return pushOutcome("timeout", userId, requestId);
  return refusedPushOutcome(grant.reason, userId, requestId);
};
