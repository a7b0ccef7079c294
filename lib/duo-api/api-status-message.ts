import type { TAuthReason } from "../auth-log/reason-codes";

// What the user reads (login_duo prints it; a proxy passes it on). The pipeline's RADIUS texts speak of passwords and
// commas; these are the API's, and anything not listed keeps the pipeline's own text.
const MESSAGES: Partial<Record<TAuthReason, string>> = {
  valid_push: "Success. Logging you in...",
  valid_passcode: "Success. Logging you in...",
  bypass_code: "Success. Logging you in...",
  bypass_user: "Two-factor authentication is not required for this user.",
  allow_unenrolled_user: "Allowing an unenrolled user (policy: access without two-factor).",
  trusted_network: "Allowed from a trusted network.",
  failmode_safe: "Two-factor authentication is unavailable; allowed by the fail mode policy.",
  unknown_user: "Unknown user.",
  invalid_username: "Invalid username.",
  user_not_in_permitted_group: "You are not permitted to use this service.",
  factor_not_allowed: "That factor is not available for your account.",
  // RADIUS's text speaks of appending to the password: through the API it means no push device and no code.
  factor_required: "Enter a passcode: no push device is available for your account.",
  push_denied: "Login request denied.",
  no_response: "Login timed out: no answer from your phone.",
};

const INVALID = "Incorrect passcode. Please try again.";

export const apiStatusMessage = (reason: TAuthReason, replyMessage?: string): string => {
  // "add a comma and your passcode" is RADIUS's append hint: through the API it means no push device and no code.
  if (reason === "invalid_passcode") {
    if (replyMessage && /comma/.test(replyMessage)) return "Enter a passcode: no push device is available for your account.";
    return replyMessage && !/^Incorrect/.test(replyMessage) ? replyMessage : INVALID;
  }
  // The pipeline names what this application does accept (lib/auth-log/reason-messages.ts): the API user needs it too.
  if (reason === "factor_not_allowed") {
    const accepts = replyMessage?.match(/This application accepts [^.]*\./)?.[0];
    if (accepts) return `${MESSAGES.factor_not_allowed} ${accepts}`;
  }
  return MESSAGES[reason] ?? replyMessage ?? "Login denied.";
};
