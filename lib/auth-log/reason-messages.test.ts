import { describe, expect, it } from "vitest";
import { AUTH_REASONS, INTERMEDIATE_REASONS, NOT_LOGIN_REASONS, type TAuthReason } from "./reason-codes";
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
  });

  it("describes rounds as rounds and an unknown code as unknown", () => {
    for (const reason of INTERMEDIATE_REASONS) expect(describeReason(reason)).toMatch(/not a failure/);
    expect(describeReason("no_such_reason")).toBe('Unknown reason code "no_such_reason".');
    // Not an own property: inherited names are not reasons.
    expect(describeReason("toString")).toBe('Unknown reason code "toString".');
  });
});
