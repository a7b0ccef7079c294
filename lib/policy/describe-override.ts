import { POLICY_FIELD_LABELS } from "./policy-fields";

type TOverrideRow = Record<string, unknown> & { allowedFactors: string[]; allowedFactorsInherit: boolean; authorizedNetworks: string[]; authorizedNetworksInherit: boolean };

const SCALARS = [
  "newUserPolicy", "usernameNormalization", "failMode", "lockoutThreshold", "autoUnlockMinutes", "challengeTimeoutSec",
  "maxChallengeAttempts", "pushTimeoutSec", "pushRateLimitPerHour", "verifiedPush", "whenNothingTyped",
] as const;

// "What this override changes", as short phrases for the Policies page; an empty list means it inherits everything.
export const describeOverride = (row: TOverrideRow): string[] => {
  const changes = SCALARS.filter((key) => row[key] !== null && row[key] !== undefined).map((key) => `${POLICY_FIELD_LABELS[key]}: ${String(row[key])}`);
  if (!row.allowedFactorsInherit) changes.push(`${POLICY_FIELD_LABELS.allowedFactors}: ${row.allowedFactors.length ? row.allowedFactors.join(", ") : "all"}`);
  if (!row.authorizedNetworksInherit) changes.push(`${POLICY_FIELD_LABELS.authorizedNetworks}: ${row.authorizedNetworks.join(", ") || "none"}`);
  return changes;
};
