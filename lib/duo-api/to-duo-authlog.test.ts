import { describe, expect, it } from "vitest";
import { AUTH_REASONS } from "../auth-log/reason-codes";
import { duoReason, storedValues, DUO_TABLES } from "./to-duo-authlog";

// Duo Admin API v2 authentication log `reason` values, as Duo documents them for each result.
const DUO_REASONS = new Set([
  ...["allow_unenrolled_user", "allowed_by_policy", "allow_unenrolled_user_on_trusted_network", "bypass_user", "remembered_device", "trusted_location", "trusted_network", "user_approved", "valid_passcode"],
  ...["anonymous_ip", "anomalous_push", "could_not_determine_if_endpoint_was_trusted", "denied_by_policy", "denied_network", "deny_unenrolled_user", "endpoint_is_not_in_management_system"],
  ...["endpoint_failed_google_verification", "endpoint_is_not_trusted", "factor_restricted", "invalid_management_certificate_collection_state", "invalid_device", "invalid_passcode"],
  ...["invalid_referring_hostname_provided", "location_restricted", "locked_out", "no_activated_duo_mobile_account", "no_disk_encryption", "no_duo_certificate_present", "touchid_disabled"],
  ...["no_referring_hostname_provided", "no_response", "no_screen_lock", "no_web_referer_match", "out_of_date", "platform_restricted", "rooted_device", "software_restricted"],
  ...["user_cancelled", "user_disabled", "user_mistake", "user_not_in_permitted_group", "user_provided_invalid_certificate", "version_restricted", "no_keys_pressed", "call_timed_out"],
  "error",
  "user_marked_fraud",
]);
// Twofold's where Duo has no word for it: shipped as is, so SIEM rules can match them.
const TWOFOLD_OWN = ["enrollment_required", "unknown_user", "invalid_username", "challenge_invalid_state", "failmode_safe", "failmode_secure", "primary_reject", "password_expired", "mschap_unsupported", "eap_unsupported", "push_pending"];
// Not authentications: the Admin API log leaves them out (query-admin-auth-logs.ts).
const NOT_LOGGED = ["challenge_issued", "primary_challenge", "acl_download", "coa", "disconnect"];

describe("auth log reasons in Duo's vocabulary", () => {
  it("every reason is Duo's own value, or one of Twofold's that Duo has no word for (passed unchanged)", () => {
    const unclassified = AUTH_REASONS.filter((reason) => !NOT_LOGGED.includes(reason) && !DUO_REASONS.has(duoReason(reason)) && !TWOFOLD_OWN.includes(reason));
    expect(unclassified).toEqual([]);
    for (const reason of TWOFOLD_OWN) expect([reason, DUO_REASONS.has(reason)]).toEqual([duoReason(reason), false]);
  });

  it("maps by meaning, and a Duo filter finds every stored reason shown as it", () => {
    expect(["factor_not_allowed", "locked_out", "user_disabled", "push_rate_limited", "accepted", "challenge_expired", "upstream_timeout"].map(duoReason)).toEqual([
      "factor_restricted",
      "locked_out",
      "user_disabled",
      "denied_by_policy",
      "allowed_by_policy",
      "no_response",
      "error",
    ]);
    expect(storedValues(DUO_TABLES.reasons, ["error"]).sort()).toEqual(["error", "upstream_error", "upstream_timeout"]);
    expect(storedValues(DUO_TABLES.reasons, ["no_response"]).sort()).toEqual(["challenge_expired", "no_response"]);
  });
});
