import type { TAuthReason } from "../auth-log/reason-codes";
import type { TSnapshotApplication } from "../config/snapshot-schema";
import { checkPermittedGroups } from "../policy/check-permitted-groups";
import { decideSecondFactor } from "../policy/decide-second-factor";
import type { TEffectivePolicy } from "../policy/policy-schemas";
import type { TAuthUser } from "../users/read-user";

export type TCheckEnrollmentAllowedOptions = {
  application: Pick<TSnapshotApplication, "permittedGroups" | "factorEntry">;
  policy: TEffectivePolicy;
  user: TAuthUser | undefined; // undefined: not in Twofold yet
  now: Date;
};

// /auth/v2/enroll may hand out a link only to someone a login would send to enroll or let in: the application's
// permitted groups (lib/policy/check-permitted-groups.ts, as RADIUS and preauth judge them), then the second-factor
// policy itself (lib/policy/decide-second-factor.ts: disabled, locked out, the new-user policy "deny"). Those are the
// pipeline's own functions, so an enrollment is refused for exactly the reasons a login would be. No user address
// (the call names none; the calling server's never counts): an authorized network does not waive those reasons.
export const checkEnrollmentAllowed = ({ application, policy, user, now }: TCheckEnrollmentAllowedOptions): { ok: true } | { ok: false; reason: TAuthReason; detail?: string } => {
  const permitted = checkPermittedGroups({ permittedGroups: application.permittedGroups, user, unreadable: false, directoryGroups: [], directoryNamesGroups: false });
  if (!permitted.ok) return permitted;
  const step = decideSecondFactor({ user: user?.facts ?? null, policy, factorEntry: application.factorEntry, network: {}, inChallenge: false, pushAvailable: true, now });
  return step.step === "reject" ? { ok: false, reason: step.reason } : { ok: true };
};
