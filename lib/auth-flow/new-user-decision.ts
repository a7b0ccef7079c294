import type { TSecondFactorOutcome } from "../second-factor/types";

// Stand-in for the second factor until lib/second-factor runs it: only the new-user policy, which needs no factor.
// A user with an active authenticator cannot be verified here, so it is an error rather than a silent accept.
export const newUserDecision = (options: { newUserPolicy: "require_enrollment" | "allow_without_2fa" | "deny"; userId?: string; activeAuthenticators: number }): TSecondFactorOutcome => {
  if (options.activeAuthenticators > 0) return { decision: "error", reason: "error", detail: "second factor not available in this build", userId: options.userId };
  switch (options.newUserPolicy) {
    case "allow_without_2fa":
      return { decision: "accept", reason: "allow_unenrolled_user", userId: options.userId };
    case "deny":
      return { decision: "reject", reason: "deny_unenrolled_user", replyMessage: "Access denied: no second factor is enrolled for this account.", userId: options.userId };
    default:
      return { decision: "reject", reason: "enrollment_required", replyMessage: "Enroll a second factor before signing in. Ask your helpdesk for an enrollment link.", userId: options.userId };
  }
};
