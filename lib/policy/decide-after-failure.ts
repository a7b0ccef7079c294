import type { TEffectivePolicy } from "./policy-schemas";

export type TDecideAfterFailureOptions = {
  failedAttempts: number; // consecutive second-factor failures including this one
  challengeAttempts: number; // answers already given to this challenge including this one (0 outside a challenge)
  inChallenge: boolean;
  factorEntry: "append" | "challenge" | "both";
  policy: TEffectivePolicy;
};

export type TAfterFailure = { lock: boolean; next: "reject" | "rechallenge" };

// A wrong code: lock at the threshold; in a challenge, another round while the challenge has attempts left.
export const decideAfterFailure = (options: TDecideAfterFailureOptions): TAfterFailure => {
  const { failedAttempts, challengeAttempts, inChallenge, factorEntry, policy } = options;
  const lock = policy.lockoutThreshold > 0 && failedAttempts >= policy.lockoutThreshold;
  if (lock) return { lock, next: "reject" };
  const roundsLeft = challengeAttempts < policy.maxChallengeAttempts;
  // An appended wrong code in "both" mode also earns a challenge: the password was right, only the code was not.
  const mayChallenge = inChallenge ? roundsLeft : factorEntry !== "append";
  return { lock, next: mayChallenge ? "rechallenge" : "reject" };
};
