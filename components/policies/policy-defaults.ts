import type { TPolicyDefaults } from "./policy-form";

export const EMPTY_OVERRIDE: TPolicyDefaults = {
  newUserPolicy: null, usernameNormalization: null, failMode: null, lockoutThreshold: null, autoUnlockMinutes: null, challengeTimeoutSec: null,
  maxChallengeAttempts: null, pushTimeoutSec: null, pushRateLimitPerHour: null, verifiedPush: null, whenNothingTyped: null,
  allowedFactors: [], allowedFactorsInherit: true, authorizedNetworks: [], authorizedNetworksInherit: true,
};

export const effectiveAsDefaults = (effective: Omit<TPolicyDefaults, "allowedFactorsInherit" | "authorizedNetworksInherit">): TPolicyDefaults => ({
  ...effective, allowedFactorsInherit: false, authorizedNetworksInherit: false,
});
