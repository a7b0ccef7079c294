import { describe, expect, it } from "vitest";
import { decideSecondFactor } from "../policy/decide-second-factor";
import { POLICY_DEFAULTS } from "../policy/policy-schemas";
import { classifyProvenAnswer } from "./classify-proven-answer";

const proofOf = (secret: string) => ({ matches: (candidate: string) => candidate === secret });
const user = (kinds: ("totp" | "push_device")[]) => ({
  id: "u1",
  status: "active" as const,
  failedAttempts: 0,
  lockedAt: null,
  authenticators: kinds.map((kind, index) => ({ id: `a${index}`, kind, name: kind === "push_device" ? "Pixel" : "App", active: true })),
  hasBypassCodes: true,
});
const decide = (kinds: ("totp" | "push_device")[], whenNothingTyped?: "push") =>
  decideSecondFactor({ user: user(kinds), policy: POLICY_DEFAULTS, factorEntry: "challenge", network: {}, inChallenge: false, whenNothingTyped, pushAvailable: true, now: new Date() });

describe("a challenge answer proved rather than typed (MS-CHAPv2)", () => {
  it("is a push choice when the proof is over one, otherwise a passcode left to verification", () => {
    expect(classifyProvenAnswer({ proof: proofOf("2") })).toEqual({ kind: "push", deviceIndex: 2 });
    expect(classifyProvenAnswer({ proof: proofOf("push") })).toEqual({ kind: "push", deviceIndex: 1 });
    expect(classifyProvenAnswer({ proof: proofOf("123456") })).toEqual({ kind: "passcode", code: "" });
  });

  it("nothing typed, whenNothingTyped push: the first device is pushed; without one the passcode menu is a challenge", () => {
    expect(decide(["totp", "push_device"], "push")).toMatchObject({ step: "push", authenticatorId: "a1" });
    expect(decide(["totp"], "push")).toMatchObject({ step: "challenge", replyMessage: expect.stringMatching(/passcode/) });
    // The default is unchanged: a challenge-entry application shows its menu.
    expect(decide(["totp", "push_device"])).toMatchObject({ step: "challenge" });
  });
});
