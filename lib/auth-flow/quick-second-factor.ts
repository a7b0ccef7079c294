import type { TEffectivePolicy } from "../policy/policy-schemas";
import { classifyFactorInput } from "../policy/classify-factor-input";
import { decideSecondFactor } from "../policy/decide-second-factor";
import type { TFactorEntry } from "../policy/decision-types";
import type { TSecondFactorOutcome } from "../second-factor/types";
import type { TFlowUser } from "./lookup-user";

// The second-factor decisions that need no further I/O (bypass user, trusted network, unenrolled allowed or denied,
// disabled, locked), answered from the user facts the flow already read — exactly as lib/second-factor maps them.
// Anything that verifies a factor, issues a challenge, enrolls or auto-unlocks returns undefined: the caller then
// runs lib/second-factor in full.
export const quickSecondFactor = (options: {
  user: TFlowUser | undefined;
  policy: TEffectivePolicy;
  factorEntry: TFactorEntry;
  clientAddress: string;
  callingStationId?: string;
  appended?: string;
  now: Date;
}): TSecondFactorOutcome | undefined => {
  const input = options.appended ? classifyFactorInput({ text: options.appended, context: "append" }) : undefined;
  const step = decideSecondFactor({
    user: options.user?.facts ?? null,
    policy: options.policy,
    factorEntry: options.factorEntry,
    network: { clientAddress: options.clientAddress, callingStationId: options.callingStationId },
    input,
    inChallenge: false,
    // A push-only user is enrolled: never let the quick path accept them as unenrolled. Push itself runs in full.
    pushAvailable: true,
    now: options.now,
  });
  if (step.autoUnlocked) return undefined;
  if (step.step === "accept") return { decision: "accept", reason: step.reason, userId: options.user?.id };
  if (step.step === "reject") return { decision: "reject", reason: step.reason, replyMessage: step.replyMessage, userId: options.user?.id };
  return undefined;
};
