import { describe, expect, it } from "vitest";
import { AUTH_REASONS, INTERMEDIATE_REASONS, NOT_LOGIN_REASONS, type TAuthReason } from "./reason-codes";
import { noResponseMessage } from "../push/no-response-message";
import { pushRateLimitMessage } from "../push/push-rate-limit-message";
import { POLICY_DEFAULTS } from "../policy/policy-schemas";
import { describeReason, REASON_TEXT, replyMessageFor } from "./reason-messages";

const NOT_LOGIN = new Set<string>(NOT_LOGIN_REASONS);
const ACCEPTS = new Set<TAuthReason>(["accepted", "valid_passcode", "valid_push", "bypass_code", "bypass_user", "allow_unenrolled_user", "trusted_network", "failmode_safe"]);

describe("the reason table", () => {
  it("gives every reason code a plain-language description and, for logins, what the user is told", () => {
    // Read at run time from the list itself: a code added without its row fails here even if a cast hid it from tsc.
    const table: Partial<Record<string, { reply: string | null; admin: string }>> = REASON_TEXT;
    for (const reason of AUTH_REASONS) {
      const text = table[reason];
      expect(text, reason).toBeDefined();
      expect(text?.admin.trim().length, `${reason}: description`).toBeGreaterThan(10);
      if (NOT_LOGIN.has(reason)) expect(text?.reply, `${reason} is no login: nothing is said to a user`).toBeNull();
      else expect(text?.reply?.trim().length, `${reason}: Reply-Message`).toBeGreaterThan(5);
    }
    expect(Object.keys(REASON_TEXT).sort()).toEqual([...AUTH_REASONS].sort());
  });

  it("tells each refusal in its own words: no two failure reasons share a Reply-Message", () => {
    const failures = AUTH_REASONS.filter((reason) => !ACCEPTS.has(reason) && !NOT_LOGIN.has(reason));
    const seen = new Map<string, string>();
    const shared: string[] = [];
    for (const reason of failures) {
      const reply = replyMessageFor({ reason });
      const other = seen.get(reply);
      // MS-CHAPv2 and EAP are both "a sign-in method this application cannot check": the same words for the user.
      if (other && !(new Set([other, reason]).has("mschap_unsupported") && new Set([other, reason]).has("eap_unsupported"))) shared.push(`${other} = ${reason}`);
      seen.set(reply, reason);
    }
    expect(shared).toEqual([]);
  });

  it("composes rounds and enrollment from the reason's own text", () => {
    expect(replyMessageFor({ reason: "challenge_issued", prompt: "Enter a passcode" })).toBe("Enter a passcode");
    expect(replyMessageFor({ reason: "passcode_replayed", prompt: "Enter a passcode" })).toBe("That passcode was already used. Wait for the next code and try again. Enter a passcode");
    expect(replyMessageFor({ reason: "invalid_passcode", also: "locked_out" })).toBe("Incorrect passcode. Your account is locked after too many failed attempts. Contact your helpdesk.");
    expect(replyMessageFor({ reason: "enrollment_required", enrollmentUrl: "https://mfa.example/enroll/abc" })).toBe("Two-factor enrollment required: enroll a second factor at https://mfa.example/enroll/abc, then sign in again.");
    expect(replyMessageFor({ reason: "enrollment_required" })).toBe("Two-factor enrollment required: enroll a second factor, then sign in again.");
    for (const reason of AUTH_REASONS) expect(replyMessageFor({ reason }), reason).not.toMatch(/[{}]/);
    for (const reason of AUTH_REASONS) expect(replyMessageFor({ reason, delimiter: "#", enrollmentUrl: "https://mfa.example/e" }), reason).not.toMatch(/[{}]/);
  });

  it("names the application's delimiter in factor_required, as typed (a \"$&\" is no replacement pattern)", () => {
    const said = (delimiter?: string) => replyMessageFor({ reason: "factor_required", delimiter });
    expect(said()).toBe("A second factor is required: add a comma and your passcode to your password.");
    expect(said(",")).toBe(said());
    expect(said(";")).toBe("A second factor is required: add a semicolon and your passcode to your password.");
    expect(said("|")).toBe("A second factor is required: add a vertical bar (|) and your passcode to your password.");
    expect(said("$&")).toBe('A second factor is required: add "$&" and your passcode to your password.');
  });

  it("tells an unanswered push (and a rate-limited one) what this user can do instead: a passcode only to a user who has one", () => {
    const totp = { id: "t", kind: "totp" as const, name: "App", active: true };
    const phone = { id: "p", kind: "push_device" as const, name: "Pixel", active: true };
    const cases = [
      { user: { authenticators: [phone, totp], hasBypassCodes: false }, policy: POLICY_DEFAULTS, noResponse: "No answer from your phone. Try again, or sign in with a passcode instead.", rateLimited: "Too many push requests. Sign in with a passcode instead." },
      { user: { authenticators: [phone], hasBypassCodes: true }, policy: POLICY_DEFAULTS, noResponse: "No answer from your phone. Try again, or sign in with your bypass code instead.", rateLimited: "Too many push requests. Sign in with your bypass code instead." },
      { user: { authenticators: [phone], hasBypassCodes: false }, policy: POLICY_DEFAULTS, noResponse: "No answer from your phone. Try again, or ask your helpdesk for a bypass code.", rateLimited: "Too many push requests. Ask your helpdesk for a bypass code." },
      // A TOTP app the policy does not allow is no way in; nor are bypass codes it does not allow.
      { user: { authenticators: [phone, totp], hasBypassCodes: true }, policy: { ...POLICY_DEFAULTS, allowedFactors: ["push_device" as const] }, noResponse: "No answer from your phone. Try again, or contact your helpdesk.", rateLimited: "Too many push requests. Try again later, or contact your helpdesk." },
    ];
    for (const { user, policy, noResponse, rateLimited } of cases) {
      expect(noResponseMessage({ user, policy })).toBe(noResponse);
      expect(pushRateLimitMessage({ user, policy })).toBe(rateLimited);
    }
    // Where the user's factors are unknown, no_response promises nothing the user may not have.
    expect(replyMessageFor({ reason: "no_response" })).not.toMatch(/passcode/);
  });

  it("describes rounds as rounds and an unknown code as unknown", () => {
    for (const reason of INTERMEDIATE_REASONS) expect(describeReason(reason)).toMatch(/not a failure/);
    expect(describeReason("no_such_reason")).toBe('Unknown reason code "no_such_reason".');
    // Not an own property: inherited names are not reasons.
    expect(describeReason("toString")).toBe('Unknown reason code "toString".');
  });
});
