import type { TAuthReason } from "../auth-log/reason-codes";
import type { TPrisma } from "../db";

// Reasons logged only after the primary accepted the password for this account (in that Access-Request, or in the
// one whose State it answers): the second factor's decisions. Not what may come before or instead of the primary
// (primary_*, upstream_*, locked_out and user_disabled, which earlier versions decided first, challenge_invalid_state,
// unknown_user, error), nor user_not_in_permitted_group: an application that refuses the user is not theirs.
export const PRIMARY_ACCEPTED_REASONS = [
  "accepted",
  "valid_passcode",
  "valid_push",
  "bypass_code",
  "bypass_user",
  "allow_unenrolled_user",
  "deny_unenrolled_user",
  "enrollment_required",
  "trusted_network",
  "invalid_passcode",
  "passcode_replayed",
  "bypass_code_used",
  "factor_required",
  "factor_not_allowed",
  "no_response",
  "push_denied",
  "push_rate_limited",
  "user_marked_fraud",
  "challenge_issued",
  "failmode_safe",
  "failmode_secure",
] as const satisfies readonly TAuthReason[];

export type TFindAcceptedLoginOptions = { prisma: Pick<TPrisma, "authEvent">; userId: string; applicationIds: string[] };

// The user's latest login that the primary accepted, through one of these applications. Only events tied to the
// account count: a login the primary rejected is logged under the typed name without a userId, so anyone could write
// one for any name (" ALICE", "bogus\alice") and would otherwise pick the application and the spelling of Alice's check.
export const findAcceptedLogin = async ({ prisma, userId, applicationIds }: TFindAcceptedLoginOptions) => {
  if (applicationIds.length === 0) return null;
  return prisma.authEvent.findFirst({
    where: { userId, applicationId: { in: applicationIds }, reason: { in: [...PRIMARY_ACCEPTED_REASONS] } },
    orderBy: [{ time: "desc" }, { id: "desc" }],
    select: { applicationId: true, usernameRaw: true },
  });
};
