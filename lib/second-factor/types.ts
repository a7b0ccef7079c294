import type { TAuthReason } from "../auth-log/reason-codes";

// The seam between the worker's request flow (worker/) and the second factor (lib/second-factor/, lib/factors/, lib/policy/).
// The worker calls the second factor after primary authentication succeeded (or for primary mode "none").

export type TSecondFactorRequest = {
  applicationId: string;
  radiusClientId: string;
  username: string; // the account: normalized, as the primary authenticated it (lib/auth-flow/resolve-identity.ts)
  // The normalized typed name: what the NAS sends again with its answer, so what our States are bound to. Defaults to
  // `username` (they differ when the directory spelled the account otherwise, e.g. "CORP\\Alice" bound as "alice").
  typedUsername?: string;
  usernameRaw: string;
  clientAddress: string; // UDP source of the NAS
  nasIp?: string;
  callingStationId?: string;
  // What the user supplied for the second factor, if anything:
  appended?: string; // suffix split off the password in append mode ("123456", "push", "push2", a bypass code)
  challengeAnswer?: { state: Buffer; answer: string }; // the NAS's answer to our Access-Challenge
  // Primary-auth facts the decision may need:
  directoryGroups: string[];
  now: Date;
};

export type TSecondFactorOutcome =
  | { decision: "accept"; reason: TAuthReason; factor?: string; userId?: string }
  | { decision: "reject"; reason: TAuthReason; replyMessage?: string; factor?: string; userId?: string; fraud?: boolean }
  | { decision: "challenge"; reason: TAuthReason; replyMessage: string; state: Buffer; userId?: string }
  | { decision: "error"; reason: TAuthReason; detail: string; userId?: string };
