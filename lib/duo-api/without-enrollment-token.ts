import { replyMessageFor } from "../auth-log/reason-messages";
import type { TApiDecision } from "./api-decision-types";

// A decision as it may be written to the database (ApiTransaction.decision): without the enrollment link, whose token
// is a credential stored only as its hash (lib/enrollment/create-enrollment-link.ts). What auth_status answers from
// it is what Duo's would: a deny, and the user told to enroll, then sign in again (which gives them a new link).
export const withoutEnrollmentToken = (decision: TApiDecision): TApiDecision => {
  if (decision.result !== "deny" && decision.result !== "enroll") return decision;
  if (!decision.enrollmentUrl) return decision;
  return { result: "deny", reason: decision.reason, statusMsg: replyMessageFor({ reason: "enrollment_required" }) };
};
