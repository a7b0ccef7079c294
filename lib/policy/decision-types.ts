import type { TFactorInput } from "./classify-factor-input";
import type { TAuthenticatorKind, TEffectivePolicy } from "./policy-schemas";

export type TUserFacts = {
  id: string;
  status: "active" | "bypass" | "disabled" | "locked_out";
  failedAttempts: number;
  lockedAt: Date | null;
  authenticators: { id: string; kind: TAuthenticatorKind; name: string; active: boolean }[];
  hasBypassCodes: boolean; // any unexpired code with uses left
};

// The user's address as reported for them (RADIUS Calling-Station-Id, the Duo API's ipaddr): what authorized networks
// are matched against. The NAS's own address is deliberately not here (lib/policy/is-trusted-network.ts).
export type TNetworkFacts = { callingStationId?: string };

export type TFactorEntry = "append" | "challenge" | "both";

export type TDecideSecondFactorOptions = {
  user: TUserFacts | null; // null: not in Twofold at all
  policy: TEffectivePolicy;
  factorEntry: TFactorEntry;
  appendDelimiter?: string; // what the user types between password and code: told in factor_required's message
  network: TNetworkFacts;
  input?: TFactorInput; // what the user supplied (appended, or the answer to our challenge)
  inChallenge: boolean; // true when `input` answers an Access-Challenge (never challenge again for "nothing supplied")
  // "push": with nothing supplied, push to the first device before offering the menu (MS-CHAPv2 logins: nothing can be appended).
  whenNothingTyped?: "push";
  pushAvailable: boolean; // false until the push issue lands: push choices are not offered
  now: Date;
};

export type TSecondFactorStep = (
  | { step: "accept"; reason: "bypass_user" | "trusted_network" | "allow_unenrolled_user" }
  | {
      step: "reject";
      reason: "user_disabled" | "locked_out" | "deny_unenrolled_user" | "factor_not_allowed" | "factor_required";
      replyMessage: string;
    }
  | { step: "enroll" } // require_enrollment: the caller makes a one-time link and rejects or challenges with it
  | { step: "challenge"; replyMessage: string; prompt: string } // prompt: the menu alone, for a retry told with its reason
  | { step: "verify_passcode"; code: string; authenticatorIds: string[] }
  | { step: "verify_bypass"; code: string }
  | { step: "push"; authenticatorId: string; deviceName: string }
) & { autoUnlocked: boolean };
