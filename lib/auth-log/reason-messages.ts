import type { TAuthenticatorKind } from "../policy/policy-schemas";
import { NOT_LOGIN_REASONS, type TAuthReason } from "./reason-codes";

// What the user is told (the Reply-Message) and what the admin reads (console, trace, CSV), for every reason: one table,
// so a reason and its message cannot drift apart in code. `reply` null: nothing is ever said to a user (not a login).
// Accepts keep their text for the Duo-compatible API; over RADIUS an Access-Accept carries no Reply-Message, because
// AnyConnect turns one into a dialog the user must dismiss.
export type TReasonText = { reply: string | null; admin: string };

const SUCCESS = "Success. Logging you in...";

export const REASON_TEXT: Record<TAuthReason, TReasonText> = {
  accepted: { reply: SUCCESS, admin: "Password accepted; this application asks for no second factor." },
  valid_passcode: { reply: SUCCESS, admin: "Correct passcode from an authenticator app or hardware token." },
  valid_push: { reply: SUCCESS, admin: "The user approved the push on their phone." },
  bypass_code: { reply: SUCCESS, admin: "Signed in with a bypass code from helpdesk (one use spent)." },
  bypass_user: { reply: SUCCESS, admin: "The user is set to bypass: no second factor was asked." },
  allow_unenrolled_user: { reply: SUCCESS, admin: "Not enrolled; the new-user policy lets unenrolled users in without a second factor." },
  deny_unenrolled_user: {
    reply: "You are not enrolled for two-factor authentication. Contact your helpdesk.",
    admin: "Not enrolled; the new-user policy denies unenrolled users.",
  },
  enrollment_required: {
    reply: "Two-factor enrollment required: enroll a second factor{at}, then sign in again.",
    admin: "Not enrolled; the user was given an enrollment link and must enroll before signing in.",
  },
  unknown_user: {
    reply: "Your account is not set up for this service. Contact your helpdesk.",
    admin: "No such user: the request named no user, or the user is not in Twofold and so in none of the permitted groups.",
  },
  invalid_username: {
    reply: "Your username contains characters that are not allowed.",
    admin: "The username had control or invisible characters or invalid UTF-8; refused before the password was checked.",
  },
  user_not_in_permitted_group: {
    reply: "You are not permitted to use this service.",
    admin: "The user is in none of the application's permitted groups.",
  },
  locked_out: {
    reply: "Your account is locked after too many failed attempts. Contact your helpdesk.",
    admin: "The account is locked (too many failed second-factor attempts, or locked by helpdesk).",
  },
  user_disabled: { reply: "Your account is disabled. Contact your helpdesk.", admin: "The account is disabled." },
  invalid_passcode: { reply: "Incorrect passcode.", admin: "Wrong passcode or bypass code (counts toward lockout)." },
  passcode_replayed: {
    reply: "That passcode was already used. Wait for the next code and try again.",
    admin: "A correct passcode that was already used (a replay, or the same code typed twice); counts toward lockout.",
  },
  bypass_code_used: {
    reply: "That bypass code was already used or has expired. Ask your helpdesk for a new one.",
    admin: "A bypass code of this user that is used up or expired (counts toward lockout).",
  },
  factor_required: {
    reply: "A second factor is required: add {delimiter} and your passcode to your password.",
    admin: "The application takes the passcode appended to the password, and none was appended (no push device either).",
  },
  trusted_network: { reply: SUCCESS, admin: "From an authorized network: no second factor was asked." },
  // What else the user can do depends on their factors: the second factor picks the words (lib/push/no-response-message.ts);
  // this is said only where they are unknown.
  no_response: { reply: "No answer from your phone. Try again, or contact your helpdesk.", admin: "The push was not answered in time." },
  user_marked_fraud: {
    reply: "You reported this sign-in as not yours: it was denied and your account is locked. Contact your helpdesk.",
    admin: "The user denied the push and reported it as fraud (\"this wasn't me\").",
  },
  push_denied: { reply: "Sign-in denied on your phone.", admin: "The user denied the push." },
  push_rate_limited: {
    reply: "Too many push requests. Try again later, or ask your helpdesk for a bypass code.",
    admin: "Too many pushes in a short time for this user; no push was sent.",
  },
  push_pending: {
    reply: "A sign-in request is already waiting on your phone. Answer it, or try again when it has expired.",
    admin: "A push for another sign-in of this user through the same NAS was pending, and this request carried nothing that tells the two apart (no Acct-Session-Id or audit-session-id; a Calling-Station-Id or the Duo API's ipaddr is only an address, which two sign-ins behind one NAT share): it was neither attached to that push, which one approval would then have answered for both, nor sent a second one.",
  },
  factor_not_allowed: {
    reply: "That second factor is not allowed or not set up for your account.",
    admin: "The user chose a factor the policy does not allow or the user does not have (see the factor column), or every factor the user has enrolled is one this application does not allow.",
  },
  challenge_issued: {
    reply: "Enter a passcode, or choose a push device.",
    admin: "Password accepted; the user was asked for the second factor (a round, not a failure).",
  },
  challenge_invalid_state: {
    reply: "The sign-in attempt is no longer valid. Please sign in again.",
    admin: "The answer carried an unknown, already used or foreign State (another NAS or another username).",
  },
  challenge_expired: {
    reply: "The sign-in attempt expired. Please sign in again.",
    admin: "The answer came after the challenge timed out.",
  },
  failmode_safe: { reply: SUCCESS, admin: "The database was unreachable; fail mode \"safe\" let the user in after the password." },
  failmode_secure: {
    reply: "Two-factor authentication is unavailable. Try again later.",
    admin: "The database was unreachable; fail mode \"secure\" refused the login.",
  },
  primary_reject: {
    reply: "Incorrect username or password.",
    admin: "The password was refused by the primary (directory, upstream RADIUS or local password); the upstream's own message is relayed when it sent one.",
  },
  primary_challenge: {
    reply: "Answer the question from your sign-in server.",
    admin: "The upstream RADIUS server asked a question of its own; it was relayed to the user (a round, not a failure).",
  },
  password_expired: {
    reply: "Your password has expired. Choose a new one.",
    admin: "The upstream reports the password expired (MS-CHAPv2 E=648); the VPN client asks the user for a new one.",
  },
  mschap_unsupported: {
    reply: "This sign-in method is not supported here. Contact your helpdesk.",
    admin: "MS-CHAPv2 to an application whose primary cannot check it (only upstream RADIUS can), or a malformed MS-CHAPv2 request.",
  },
  eap_unsupported: {
    reply: "This sign-in method is not supported here. Contact your helpdesk.",
    admin: "EAP (802.1X) to an application whose primary cannot terminate it (only upstream RADIUS can), or a malformed EAP-Message.",
  },
  upstream_timeout: {
    reply: "The sign-in server did not answer. Try again later.",
    admin: "The primary (directory or upstream RADIUS) did not answer in time.",
  },
  upstream_error: {
    reply: "The sign-in server failed. Try again later.",
    admin: "The primary failed (unreachable, bad reply, or it named no account).",
  },
  error: {
    reply: "Sign-in failed because of an internal error. Try again later.",
    admin: "Twofold failed internally (for example a slow or failing database); see the worker's log.",
  },
  acl_download: { reply: null, admin: "The NAS fetched a downloadable ACL (not a login)." },
  coa: { reply: null, admin: "A Change-of-Authorization from the upstream server was relayed to the NAS (not a login)." },
  disconnect: { reply: null, admin: "A Disconnect request from the upstream server was relayed to the NAS (not a login)." },
};

const NOT_LOGIN = new Set<string>(NOT_LOGIN_REASONS);
export const isNotLoginReason = (reason: string) => NOT_LOGIN.has(reason);

const isReason = (reason: string): reason is TAuthReason => Object.hasOwn(REASON_TEXT, reason);

// Plain language for the console; a code this version does not know (an older or newer worker's) is shown as is.
export const describeReason = (reason: string): string => (isReason(reason) ? REASON_TEXT[reason].admin : `Unknown reason code "${reason}".`);

// The delimiter as the user reads it: its name when it has a common one, otherwise quoted as typed.
const DELIMITER_NAMES = new Map([[",", "a comma"], [";", "a semicolon"], [":", "a colon"], ["|", "a vertical bar (|)"], ["#", "a hash sign (#)"], ["/", "a slash (/)"], ["+", "a plus sign (+)"]]);
const sayDelimiter = (delimiter: string): string => DELIMITER_NAMES.get(delimiter) ?? `"${delimiter}"`;

export type TReplyMessageOptions = {
  reason: TAuthReason;
  prompt?: string; // a challenge round: what to enter next, said after what happened (alone for challenge_issued)
  enrollmentUrl?: string; // enrollment_required: where to enroll
  delimiter?: string; // factor_required: the application's append delimiter (default ",", the column's default)
  also?: TAuthReason; // what else this failure caused, said after it (a wrong code that locked the account)
  accepts?: readonly TAuthenticatorKind[]; // factor_not_allowed: the factors this application does accept, said after it
};

// A factor as the user knows it, for "this application accepts …".
const FACTOR_WORDS: Record<TAuthenticatorKind, string> = {
  totp: "a passcode from an authenticator app",
  hotp: "a passcode from a hardware token",
  push_device: "a push to the Twofold app",
  bypass_codes: "a bypass code from your helpdesk",
};
const sayAccepts = (kinds: readonly TAuthenticatorKind[]): string | undefined => {
  const words = [...new Set(kinds)].map((kind) => FACTOR_WORDS[kind]);
  if (words.length === 0) return undefined;
  const last = words.pop() ?? "";
  return `This application accepts ${words.length ? `${words.join(", ")} or ${last}` : last}.`;
};

// The Reply-Message for a decision. The one place user-facing text is chosen for a reason.
export const replyMessageFor = ({ reason, prompt, enrollmentUrl, delimiter, also, accepts }: TReplyMessageOptions): string => {
  const reply = REASON_TEXT[reason].reply ?? "";
  if (reason === "challenge_issued") return prompt ?? reply;
  // Replaced by function: a URL or delimiter holding "$&" is said as typed.
  const said = reply.replace("{at}", () => (enrollmentUrl ? ` at ${enrollmentUrl}` : "")).replace("{delimiter}", () => sayDelimiter(delimiter ?? ","));
  const accepted = reason === "factor_not_allowed" && accepts ? sayAccepts(accepts) : undefined;
  return [said, accepted, also ? REASON_TEXT[also].reply : undefined, prompt].filter(Boolean).join(" ");
};
