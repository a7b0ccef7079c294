import { describe, expect, it } from "vitest";
import { buildChallengeMenu } from "./build-challenge-menu";
import { decideAfterFailure } from "./decide-after-failure";
import { decideSecondFactor } from "./decide-second-factor";
import type { TDecideSecondFactorOptions, TNetworkFacts, TUserFacts } from "./decision-types";
import { POLICY_DEFAULTS } from "./policy-schemas";
import { resolveEffectivePolicy } from "./resolve-effective-policy";
import type { TPolicyRow } from "./policy-schemas";

const now = new Date("2026-11-23T12:00:00Z");
const user = (over: Partial<TUserFacts> = {}): TUserFacts => ({
  id: "u1",
  status: "active",
  failedAttempts: 0,
  lockedAt: null,
  authenticators: [{ id: "t1", kind: "totp", name: "Phone", active: true }],
  hasBypassCodes: false,
  ...over,
});
const decide = (over: Partial<TDecideSecondFactorOptions> = {}) =>
  decideSecondFactor({
    user: user(),
    policy: POLICY_DEFAULTS,
    factorEntry: "both",
    network: {},
    inChallenge: false,
    pushAvailable: false,
    now,
    ...over,
  });

describe("decideSecondFactor", () => {
  it("refuses disabled users, even from a trusted network", () => {
    const policy = { ...POLICY_DEFAULTS, authorizedNetworks: ["192.0.2.0/24"] };
    expect(decide({ user: user({ status: "disabled" }), policy })).toMatchObject({ step: "reject", reason: "user_disabled" });
  });
  it("accepts bypass users", () => {
    expect(decide({ user: user({ status: "bypass" }) })).toMatchObject({ step: "accept", reason: "bypass_user" });
  });
  it("locks out and auto-unlocks after the policy's minutes", () => {
    const locked = user({ status: "locked_out", lockedAt: new Date(now.getTime() - 10 * 60_000), failedAttempts: 10 });
    expect(decide({ user: locked })).toMatchObject({ step: "reject", reason: "locked_out" });
    expect(decide({ user: locked, policy: { ...POLICY_DEFAULTS, autoUnlockMinutes: 15 } })).toMatchObject({ step: "reject", reason: "locked_out" });
    expect(decide({ user: locked, policy: { ...POLICY_DEFAULTS, autoUnlockMinutes: 5 } })).toMatchObject({ step: "challenge", autoUnlocked: true });
    expect(decide({ user: user({ failedAttempts: 10 }) })).toMatchObject({ reason: "locked_out" });
  });
  it("skips the second factor on authorized networks: the user's Calling-Station-Id only, never the NAS's address", () => {
    const policy = { ...POLICY_DEFAULTS, authorizedNetworks: ["10.0.0.0/8", "bogus"] };
    expect(decide({ policy, network: { callingStationId: "10.9.9.9" } })).toMatchObject({ step: "accept", reason: "trusted_network" });
    expect(decide({ policy, network: { callingStationId: " 10.9.9.9 " } })).toMatchObject({ reason: "trusted_network" });
    expect(decide({ policy, network: { callingStationId: "00-11-22-33-44-55" } })).toMatchObject({ step: "challenge" });
    expect(decide({ policy, network: { callingStationId: "192.0.2.1" } })).toMatchObject({ step: "challenge" });
    // No Calling-Station-Id: not trusted, whatever the NAS's own address (an ASA on 10.x would otherwise trust all).
    expect(decide({ policy, network: {} })).toMatchObject({ step: "challenge" });
    expect(decide({ policy, network: { callingStationId: "" } })).toMatchObject({ step: "challenge" });
    // What a caller that still handed the NAS's address would pass: ignored (the type no longer has it).
    expect(decide({ policy, network: { clientAddress: "10.1.2.3" } as TNetworkFacts })).toMatchObject({ step: "challenge" });
  });
  it("applies each new-user policy", () => {
    const none = user({ authenticators: [] });
    expect(decide({ user: none })).toMatchObject({ step: "enroll" });
    expect(decide({ user: null })).toMatchObject({ step: "enroll" });
    expect(decide({ user: null, policy: { ...POLICY_DEFAULTS, newUserPolicy: "allow_without_2fa" } })).toMatchObject({ reason: "allow_unenrolled_user" });
    expect(decide({ user: none, policy: { ...POLICY_DEFAULTS, newUserPolicy: "deny" } })).toMatchObject({ reason: "deny_unenrolled_user" });
    // An inactive (unconfirmed) authenticator does not count as enrolled.
    expect(decide({ user: user({ authenticators: [{ id: "t", kind: "totp", name: "", active: false }] }) })).toMatchObject({ step: "enroll" });
  });
  it("verifies passcodes and bypass codes the policy allows", () => {
    expect(decide({ input: { kind: "passcode", code: "123456" } })).toMatchObject({ step: "verify_passcode", authenticatorIds: ["t1"] });
    const hotpOnly = { ...POLICY_DEFAULTS, allowedFactors: ["hotp" as const, "bypass_codes" as const] };
    expect(decide({ policy: hotpOnly, input: { kind: "passcode", code: "123456" } })).toMatchObject({ step: "reject", reason: "factor_not_allowed" });
    // Allowed by the policy: checked even with none left, so a used-up code is told as such, not as "not allowed".
    expect(decide({ input: { kind: "bypass", code: "123456789012" } })).toMatchObject({ step: "verify_bypass" });
    const noBypass = { ...POLICY_DEFAULTS, allowedFactors: ["totp" as const] };
    expect(decide({ policy: noBypass, input: { kind: "bypass", code: "123456789012" } })).toMatchObject({ reason: "factor_not_allowed", replyMessage: "That second factor is not allowed or not set up for your account." });
    expect(decide({ user: user({ hasBypassCodes: true }), input: { kind: "bypass", code: "123456789012" } })).toMatchObject({ step: "verify_bypass" });
  });
  it("challenges or asks for an appended code", () => {
    expect(decide({})).toMatchObject({ step: "challenge", replyMessage: "Enter a passcode" });
    expect(decide({ factorEntry: "append" })).toMatchObject({ step: "reject", reason: "factor_required", replyMessage: "A second factor is required: add a comma and your passcode to your password." });
    // The application's own delimiter, not always "a comma".
    expect(decide({ factorEntry: "append", appendDelimiter: "#" })).toMatchObject({ reason: "factor_required", replyMessage: "A second factor is required: add a hash sign (#) and your passcode to your password." });
    expect(decide({ factorEntry: "append", appendDelimiter: "%%" })).toMatchObject({ reason: "factor_required", replyMessage: 'A second factor is required: add "%%" and your passcode to your password.' });
    expect(decide({ inChallenge: true })).toMatchObject({ step: "challenge", replyMessage: "Incorrect passcode. Enter a passcode", prompt: "Enter a passcode" });
  });
  it("offers push only when push is available", () => {
    const withPush = user({ authenticators: [...user().authenticators, { id: "p1", kind: "push_device", name: "Pixel 8", active: true }] });
    expect(decide({ user: withPush, input: { kind: "push", deviceIndex: 1 } })).toMatchObject({ step: "challenge", replyMessage: "Enter a passcode" });
    expect(decide({ user: withPush, factorEntry: "append", input: { kind: "push", deviceIndex: 1 } })).toMatchObject({ step: "reject" });
    expect(decide({ user: withPush, pushAvailable: true, input: { kind: "push", deviceIndex: 1 } })).toMatchObject({ step: "push", authenticatorId: "p1" });
    expect(decide({ user: withPush, pushAvailable: true })).toMatchObject({ replyMessage: "Enter a passcode, or 1 for push to Pixel 8" });
    const pushOnly = user({ authenticators: [{ id: "p1", kind: "push_device", name: "Pixel 8", active: true }] });
    // Enrolled all the same: never sent to enroll another factor after the password alone.
    expect(decide({ user: pushOnly })).toMatchObject({ step: "reject", reason: "factor_not_allowed" });
    expect(decide({ user: pushOnly, pushAvailable: true })).toMatchObject({ step: "challenge", replyMessage: "1 for push to Pixel 8" });
  });
  // The review's case: enrolled with a factor this application does not take. "Enrolled" is the user's, not the
  // application's, so neither the enroll step (a link after the password alone) nor the unenrolled user's accept.
  describe("a user enrolled only with factors this application does not allow", () => {
    const pushOnly = user({ authenticators: [{ id: "p1", kind: "push_device", name: "Pixel 8", active: true }] });
    const passcodesOnly = { ...POLICY_DEFAULTS, allowedFactors: ["totp" as const, "hotp" as const] };
    const told = "That second factor is not allowed or not set up for your account. This application accepts a passcode from an authenticator app or a passcode from a hardware token.";
    it.each(["require_enrollment", "allow_without_2fa", "deny"] as const)("is refused factor_not_allowed under %s, told what the application accepts", (newUserPolicy) => {
      const policy = { ...passcodesOnly, newUserPolicy };
      for (const factorEntry of ["append", "challenge", "both"] as const) {
        expect(decide({ user: pushOnly, policy, factorEntry, pushAvailable: true })).toEqual({ step: "reject", reason: "factor_not_allowed", replyMessage: told, autoUnlocked: false });
        expect(decide({ user: pushOnly, policy, factorEntry, pushAvailable: true, inChallenge: true, input: { kind: "passcode", code: "123456" } })).toMatchObject({ step: "reject", reason: "factor_not_allowed" });
        expect(decide({ user: pushOnly, policy, factorEntry, pushAvailable: true, input: { kind: "push", deviceIndex: 1 } })).toMatchObject({ step: "reject", reason: "factor_not_allowed" });
      }
    });
    it("counts every active kind as enrolled, an inactive one as none", () => {
      const policy = { ...POLICY_DEFAULTS, allowedFactors: ["push_device" as const], newUserPolicy: "allow_without_2fa" as const };
      for (const kind of ["totp", "hotp"] as const) {
        expect(decide({ user: user({ authenticators: [{ id: "a", kind, name: "", active: true }] }), policy, pushAvailable: true })).toMatchObject({ reason: "factor_not_allowed", replyMessage: "That second factor is not allowed or not set up for your account. This application accepts a push to the Twofold app." });
        expect(decide({ user: user({ authenticators: [{ id: "a", kind, name: "", active: false }] }), policy, pushAvailable: true })).toMatchObject({ step: "accept", reason: "allow_unenrolled_user" });
      }
    });
    it("names push among the accepted factors only where a push can be sent", () => {
      const policy = { ...POLICY_DEFAULTS, allowedFactors: ["hotp" as const, "push_device" as const] };
      const totpOnly = user();
      expect(decide({ user: totpOnly, policy, pushAvailable: true })).toMatchObject({ replyMessage: expect.stringMatching(/accepts a passcode from a hardware token or a push to the Twofold app\.$/) });
      expect(decide({ user: totpOnly, policy, pushAvailable: false })).toMatchObject({ replyMessage: expect.stringMatching(/accepts a passcode from a hardware token\.$/) });
    });
    it("still lets a bypass code from helpdesk in where the application allows bypass codes", () => {
      const policy = { ...passcodesOnly, allowedFactors: ["totp" as const, "bypass_codes" as const] };
      expect(decide({ user: pushOnly, policy, pushAvailable: true, input: { kind: "bypass", code: "123456789012" } })).toMatchObject({ step: "verify_bypass" });
      const withCodes = { ...pushOnly, hasBypassCodes: true };
      expect(decide({ user: withCodes, policy, pushAvailable: true })).toMatchObject({ step: "challenge", replyMessage: "Enter a bypass code" });
      expect(decide({ user: withCodes, policy, pushAvailable: true, factorEntry: "append" })).toMatchObject({ step: "reject", reason: "factor_required" });
    });
  });
});

describe("decideAfterFailure", () => {
  const base = { challengeAttempts: 0, inChallenge: false, factorEntry: "both" as const, policy: POLICY_DEFAULTS };
  it("locks at the threshold and never with threshold 0", () => {
    expect(decideAfterFailure({ ...base, failedAttempts: 10 })).toEqual({ lock: true, next: "reject" });
    expect(decideAfterFailure({ ...base, failedAttempts: 9 })).toEqual({ lock: false, next: "rechallenge" });
    expect(decideAfterFailure({ ...base, failedAttempts: 99, policy: { ...POLICY_DEFAULTS, lockoutThreshold: 0 } }).lock).toBe(false);
  });
  it("limits challenge rounds", () => {
    expect(decideAfterFailure({ ...base, failedAttempts: 1, inChallenge: true, challengeAttempts: 3 }).next).toBe("reject");
    expect(decideAfterFailure({ ...base, failedAttempts: 1, inChallenge: true, challengeAttempts: 2 }).next).toBe("rechallenge");
    expect(decideAfterFailure({ ...base, failedAttempts: 1, factorEntry: "append" }).next).toBe("reject");
  });
});

describe("resolveEffectivePolicy", () => {
  const row = (over: Partial<TPolicyRow>): TPolicyRow => ({
    applicationId: null, newUserPolicy: null, usernameNormalization: null, allowedFactors: [], allowedFactorsInherit: true,
    lockoutThreshold: null, autoUnlockMinutes: null, failMode: null, challengeTimeoutSec: null, maxChallengeAttempts: null,
    pushTimeoutSec: null, pushRateLimitPerHour: null, verifiedPush: null, authorizedNetworks: [], authorizedNetworksInherit: true,
    ...over,
  });
  it("uses defaults without rows", () => {
    expect(resolveEffectivePolicy({})).toEqual(POLICY_DEFAULTS);
    expect(POLICY_DEFAULTS).toMatchObject({ lockoutThreshold: 10, autoUnlockMinutes: null, challengeTimeoutSec: 300, pushTimeoutSec: 50, failMode: "secure" });
  });
  it("layers application over global over defaults; null inherits", () => {
    const global = row({ failMode: "safe", lockoutThreshold: 5, authorizedNetworks: ["10.0.0.0/8"], allowedFactors: ["totp"] });
    const app = row({ applicationId: "a", lockoutThreshold: 3, autoUnlockMinutes: 0 });
    const effective = resolveEffectivePolicy({ global, application: app });
    expect(effective).toMatchObject({ failMode: "safe", lockoutThreshold: 3, autoUnlockMinutes: 0, authorizedNetworks: ["10.0.0.0/8"], allowedFactors: ["totp"] });
  });
  it("lets an application override lists, including with an empty list", () => {
    const global = row({ authorizedNetworks: ["10.0.0.0/8"], allowedFactors: ["totp"] });
    const app = row({ applicationId: "a", authorizedNetworksInherit: false, allowedFactorsInherit: false, allowedFactors: ["hotp"] });
    expect(resolveEffectivePolicy({ global, application: app })).toMatchObject({ authorizedNetworks: [], allowedFactors: ["hotp"] });
  });
});

describe("buildChallengeMenu", () => {
  it("lists the choices", () => {
    expect(buildChallengeMenu({ passcode: true, bypass: false, pushDevices: ["Pixel 8", "iPad"] })).toBe(
      "Enter a passcode, or 1 for push to Pixel 8, or 2 for push to iPad",
    );
    expect(buildChallengeMenu({ passcode: false, bypass: false, pushDevices: ["Pixel 8"] })).toBe("1 for push to Pixel 8");
  });
});
