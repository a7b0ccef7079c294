import { ALL_FACTOR_KINDS, POLICY_DEFAULTS, type TEffectivePolicy, type TPolicyRow } from "./policy-schemas";

export type TResolveEffectivePolicyOptions = { global?: TPolicyRow | null; application?: TPolicyRow | null };

// Application override wins, then the global row, then the built-in default. Lists inherit through explicit flags
// because an empty list is a meaningful override ("no authorized networks for this application").
export const resolveEffectivePolicy = ({ global, application }: TResolveEffectivePolicyOptions): TEffectivePolicy => {
  const pick = <K extends keyof TPolicyRow & keyof TEffectivePolicy>(key: K): NonNullable<TPolicyRow[K]> | TEffectivePolicy[K] =>
    application?.[key] ?? global?.[key] ?? POLICY_DEFAULTS[key];
  const factorsRow = application && !application.allowedFactorsInherit ? application : global;
  const factors = factorsRow?.allowedFactors ?? [];
  const networksRow = application && !application.authorizedNetworksInherit ? application : global;
  return {
    newUserPolicy: pick("newUserPolicy"),
    usernameNormalization: pick("usernameNormalization"),
    lockoutThreshold: pick("lockoutThreshold"),
    autoUnlockMinutes: pick("autoUnlockMinutes"),
    failMode: pick("failMode"),
    challengeTimeoutSec: pick("challengeTimeoutSec"),
    maxChallengeAttempts: pick("maxChallengeAttempts"),
    pushTimeoutSec: pick("pushTimeoutSec"),
    pushRateLimitPerHour: pick("pushRateLimitPerHour"),
    verifiedPush: pick("verifiedPush"),
    whenNothingTyped: application?.whenNothingTyped ?? global?.whenNothingTyped ?? POLICY_DEFAULTS.whenNothingTyped,
    // An empty allowed list would lock everybody out silently; the console treats "none selected" as "all".
    allowedFactors: factors.length > 0 ? [...new Set(factors)] : [...ALL_FACTOR_KINDS],
    authorizedNetworks: [...(networksRow?.authorizedNetworks ?? [])],
  };
};
