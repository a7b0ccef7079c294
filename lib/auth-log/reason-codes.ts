import { z } from "zod";

// Duo's vocabulary where the meaning is the same (so SIEM rules carry over), Twofold's own where Duo has none.
export const AUTH_REASONS = [
  "accepted", // primary ok and no second factor required by design (e.g. primary-only application)
  "valid_passcode",
  "valid_push",
  "bypass_code",
  "bypass_user",
  "allow_unenrolled_user",
  "deny_unenrolled_user",
  "enrollment_required",
  "unknown_user",
  "invalid_username", // User-Name with control/format characters or invalid UTF-8: refused before the primary
  "user_not_in_permitted_group",
  "locked_out",
  "user_disabled",
  "invalid_passcode",
  "passcode_replayed",
  "bypass_code_used", // a bypass code of the user's that is used up or expired
  "factor_required", // append-only application, nothing appended and no push device to fall back on
  "trusted_network",
  "no_response",
  "user_marked_fraud",
  "push_denied",
  "push_rate_limited",
  "push_pending", // another login of the user waits on a push, and nothing the NAS sent tells the two apart
  "factor_not_allowed",
  "challenge_issued",
  "challenge_invalid_state",
  "challenge_expired",
  "failmode_safe",
  "failmode_secure",
  "primary_reject",
  "primary_challenge",
  "password_expired", // MS-CHAPv2: the upstream said E=648; the NAS asks the user for a new password
  "mschap_unsupported", // MS-CHAPv2 to an application whose primary is not upstream RADIUS
  "eap_unsupported", // EAP (802.1X) to an application whose primary is not upstream RADIUS, or a malformed EAP-Message
  "upstream_timeout",
  "upstream_error",
  "error",
  // Not logins: the NAS fetching a downloadable ACL, and ISE's RFC 5176 requests relayed to the NAS (worker/coa-server.ts).
  "acl_download",
  "coa",
  "disconnect",
] as const;

export const ZAuthReasonSchema = z.enum(AUTH_REASONS);

// Rounds of a login that goes on (an Access-Challenge was sent), not outcomes: never counted as a rejection.
export const INTERMEDIATE_REASONS = ["challenge_issued", "primary_challenge"] as const;
// Logged beside logins but not logins (an ACL fetched for the NAS, a CoA or Disconnect relayed): the dashboard's
// accepted/rejected counts leave them out.
export const NOT_LOGIN_REASONS = ["acl_download", "coa", "disconnect"] as const;
export type TAuthReason = z.infer<typeof ZAuthReasonSchema>;

export const ZAuthResultSchema = z.enum(["success", "failure", "error", "fraud"]);
export type TAuthResult = z.infer<typeof ZAuthResultSchema>;
