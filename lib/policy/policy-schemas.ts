import { z } from "zod";

const AUTHENTICATOR_KINDS = ["totp", "hotp", "push_device", "bypass_codes"] as const;
export const ZAuthenticatorKindSchema = z.enum(AUTHENTICATOR_KINDS);
export type TAuthenticatorKind = z.infer<typeof ZAuthenticatorKindSchema>;
export const ALL_FACTOR_KINDS: readonly TAuthenticatorKind[] = AUTHENTICATOR_KINDS;

// A Policy row as loaded into the worker snapshot (or read by the console). null means "inherit from the global row".
export const ZPolicyRowSchema = z.object({
  id: z.string().optional(),
  applicationId: z.string().nullable(),
  newUserPolicy: z.enum(["require_enrollment", "allow_without_2fa", "deny"]).nullable(),
  usernameNormalization: z.enum(["none", "strip_domain"]).nullable(),
  allowedFactors: z.array(ZAuthenticatorKindSchema),
  allowedFactorsInherit: z.boolean(),
  lockoutThreshold: z.number().int().min(0).nullable(),
  autoUnlockMinutes: z.number().int().min(0).nullable(),
  failMode: z.enum(["safe", "secure"]).nullable(),
  challengeTimeoutSec: z.number().int().min(1).nullable(),
  maxChallengeAttempts: z.number().int().min(1).nullable(),
  pushTimeoutSec: z.number().int().min(1).nullable(),
  pushRateLimitPerHour: z.number().int().min(0).nullable(),
  verifiedPush: z.boolean().nullable(),
  // nullish: rows loaded before the column existed (and hand-built test rows) inherit.
  whenNothingTyped: z.enum(["challenge_menu", "push_first"]).nullish(),
  authorizedNetworks: z.array(z.string()),
  authorizedNetworksInherit: z.boolean(),
});
export type TPolicyRow = z.infer<typeof ZPolicyRowSchema>;

export const ZEffectivePolicySchema = z.object({
  newUserPolicy: z.enum(["require_enrollment", "allow_without_2fa", "deny"]),
  usernameNormalization: z.enum(["none", "strip_domain"]),
  allowedFactors: z.array(ZAuthenticatorKindSchema), // never empty: an empty configured list means "all"
  lockoutThreshold: z.number().int().min(0), // 0 = never lock
  autoUnlockMinutes: z.number().int().min(0).nullable(), // null/0 = only helpdesk unlocks
  failMode: z.enum(["safe", "secure"]),
  challengeTimeoutSec: z.number().int().min(1),
  maxChallengeAttempts: z.number().int().min(1),
  pushTimeoutSec: z.number().int().min(1),
  pushRateLimitPerHour: z.number().int().min(0),
  verifiedPush: z.boolean(),
  // A login with nothing appended: the challenge menu, or a push to the first device (the menu only without one).
  whenNothingTyped: z.enum(["challenge_menu", "push_first"]),
  authorizedNetworks: z.array(z.string()),
});
export type TEffectivePolicy = z.infer<typeof ZEffectivePolicySchema>;

export const POLICY_DEFAULTS: TEffectivePolicy = {
  newUserPolicy: "require_enrollment",
  usernameNormalization: "none",
  allowedFactors: [...ALL_FACTOR_KINDS],
  lockoutThreshold: 10,
  autoUnlockMinutes: null,
  failMode: "secure",
  challengeTimeoutSec: 300,
  maxChallengeAttempts: 3,
  pushTimeoutSec: 50, // under the ASA's usual `timeout 60`, so the NAS hears a reject rather than silence
  pushRateLimitPerHour: 10,
  verifiedPush: false,
  whenNothingTyped: "challenge_menu",
  authorizedNetworks: [],
};
