import { replyMessageFor } from "../auth-log/reason-messages";
import { buildChallengeMenu } from "./build-challenge-menu";
import type { TDecideSecondFactorOptions, TSecondFactorStep, TUserFacts } from "./decision-types";
import { isTrustedNetwork } from "./is-trusted-network";
import type { TEffectivePolicy } from "./policy-schemas";

type TStep = TSecondFactorStep extends infer S ? (S extends unknown ? Omit<S, "autoUnlocked"> : never) : never;

// The user's text for each refusal is the reason's, from the one table (lib/auth-log/reason-messages.ts).
const refuse = <R extends Extract<TSecondFactorStep, { step: "reject" }>["reason"]>(reason: R) => ({ step: "reject" as const, reason, replyMessage: replyMessageFor({ reason }) });

// Exported for the worker's pre-primary status check, so a lockout past its auto-unlock time is not refused there.
export const isLockedOut = ({ user, policy, now }: { user: Pick<TUserFacts, "status" | "failedAttempts" | "lockedAt">; policy: TEffectivePolicy; now: Date }) => {
  const locked = user.status === "locked_out" || (policy.lockoutThreshold > 0 && user.failedAttempts >= policy.lockoutThreshold);
  if (!locked) return { locked: false, autoUnlocked: false };
  const minutes = policy.autoUnlockMinutes ?? 0;
  // Without lockedAt (locked by hand) only the helpdesk unlocks.
  if (minutes > 0 && user.lockedAt && now.getTime() - user.lockedAt.getTime() >= minutes * 60_000) {
    return { locked: false, autoUnlocked: true };
  }
  return { locked: true, autoUnlocked: false };
};

// The whole second-factor policy as one pure function: user state + effective policy + network + input → next step.
// Order: status (disabled, locked, bypass) → authorized network → enrollment (the new-user policy, only for a user with
// no active authenticator at all) → a factor this application takes (factor_not_allowed without one) → the supplied
// factor → challenge or the "append a passcode" reject. Disabled and locked users are refused even from trusted networks.
export const decideSecondFactor = (options: TDecideSecondFactorOptions): TSecondFactorStep => {
  const { user, policy, now } = options;
  let autoUnlocked = false;
  if (user) {
    if (user.status === "disabled") return { ...refuse("user_disabled"), autoUnlocked };
    const lock = isLockedOut({ user, policy, now });
    if (lock.locked) return { ...refuse("locked_out"), autoUnlocked };
    autoUnlocked = lock.autoUnlocked;
    if (user.status === "bypass") return { step: "accept", reason: "bypass_user", autoUnlocked };
  }
  return { ...decideFactor(options), autoUnlocked };
};

const decideFactor = ({ user, policy, factorEntry, appendDelimiter, network, input, inChallenge, whenNothingTyped, pushAvailable }: TDecideSecondFactorOptions): TStep => {
  if (isTrustedNetwork({ authorizedNetworks: policy.authorizedNetworks, network })) return { step: "accept", reason: "trusted_network" };
  const allowed = new Set(policy.allowedFactors);
  // Enrolled is a fact about the user, whatever this application allows: a user whose only factors it does not take
  // is still enrolled. Otherwise the password alone would pass (allow_without_2fa) or earn an enrollment link
  // (require_enrollment) for a factor of the attacker's own, valid on every application.
  const enrolled = (user?.authenticators ?? []).filter((a) => a.active);
  const active = enrolled.filter((a) => allowed.has(a.kind));
  const passcodeIds = active.filter((a) => a.kind === "totp" || a.kind === "hotp").map((a) => a.id);
  const pushDevices = active.filter((a) => a.kind === "push_device");
  const bypassAllowed = allowed.has("bypass_codes") && !!user?.hasBypassCodes;

  // A bypass code is how helpdesk lets in someone without their phone, enrolled or not. Checked whenever the policy
  // allows bypass codes, even with none left: a used-up code is then told as such (and claims an attempt like any
  // wrong code), not as "not allowed".
  if (input?.kind === "bypass") {
    return user && allowed.has("bypass_codes") ? { step: "verify_bypass", code: input.code } : refuse("factor_not_allowed");
  }
  if (enrolled.length === 0) {
    if (policy.newUserPolicy === "allow_without_2fa") return { step: "accept", reason: "allow_unenrolled_user" };
    if (policy.newUserPolicy === "deny") return refuse("deny_unenrolled_user");
    return { step: "enroll" };
  }
  // Push devices can be offered only once push can be delivered.
  const offeredPush = pushAvailable ? pushDevices : [];
  if (passcodeIds.length === 0 && offeredPush.length === 0 && !bypassAllowed) {
    // Enrolled, but with nothing this application takes: told what it does take (push only where it can be sent).
    const accepts = policy.allowedFactors.filter((kind) => kind !== "push_device" || pushAvailable);
    return { step: "reject", reason: "factor_not_allowed", replyMessage: replyMessageFor({ reason: "factor_not_allowed", accepts }) };
  }
  if (input?.kind === "passcode") {
    return passcodeIds.length > 0
      ? { step: "verify_passcode", code: input.code, authenticatorIds: passcodeIds }
      : refuse("factor_not_allowed");
  }
  if (input?.kind === "push") {
    const device = offeredPush[input.deviceIndex - 1];
    if (device) return { step: "push", authenticatorId: device.id, deviceName: device.name };
    if (factorEntry === "append") return refuse("factor_not_allowed");
  }
  const menu = buildChallengeMenu({ passcode: passcodeIds.length > 0, bypass: bypassAllowed, pushDevices: offeredPush.map((d) => d.name) });
  // An answer that is no factor at all is said to be wrong before the menu is offered again.
  if (inChallenge) return { step: "challenge", replyMessage: input ? menu : replyMessageFor({ reason: "invalid_passcode", prompt: menu }), prompt: menu };
  // Append-only with nothing appended, or nothing could be typed: like Duo's "auto", push to the first device if any.
  const first = offeredPush[0];
  if (first && !input && whenNothingTyped === "push") return { step: "push", authenticatorId: first.id, deviceName: first.name };
  if (factorEntry !== "append") return { step: "challenge", replyMessage: menu, prompt: menu };
  if (first) return { step: "push", authenticatorId: first.id, deviceName: first.name };
  return { ...refuse("factor_required"), replyMessage: replyMessageFor({ reason: "factor_required", delimiter: appendDelimiter }) };
};
