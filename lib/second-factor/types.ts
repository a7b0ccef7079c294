import type { TAuthReason } from "../auth-log/reason-codes";
import type { TAuthUser } from "../users/read-user";
import type { TGrant } from "./challenge-state";
import type { TCodeProof } from "../factors/otp-secret";
import type { TPushDetails } from "../push/push-schemas";

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
  // What else tells this login from another of the same user through the same NAS (lib/push/push-login-key.ts): a
  // pending push is shared only with a request that agrees on all of it and carries a session id, or is a retransmit
  // (packetId). RADIUS only: every Duo API call is a login of its own, whatever its ipaddr.
  session?: { nasIdentifier?: string; nasPort?: string; acctSessionId?: string; auditSessionId?: string; packetId?: string };
  // Shown with a push this login creates (the Duo API's pushinfo, parsed): the calling program's own words about it.
  pushDetails?: TPushDetails;
  // What the user supplied for the second factor, if anything:
  appended?: string; // suffix split off the password in append mode ("123456", "push", "push2", a bypass code)
  // The NAS's answer to our Access-Challenge. `proof`: it sent no text, only a proof over it (MS-CHAPv2), so the
  // menu's choices and the valid passcodes are put to the proof instead of reading `answer`.
  challengeAnswer?: { state: Buffer; answer: string; proof?: TCodeProof };
  // "push": nothing can be typed with the password (MS-CHAPv2 never shows it), so a login without a factor pushes to
  // the first device, and challenges for a passcode only without one.
  whenNothingTyped?: "push";
  // EAP (802.1X): the conversation that could carry text is over when the upstream accepts, so nothing can be asked
  // in band. Only an out-of-band push (without a number to type) or a decision without a factor can end it.
  outOfBand?: boolean;
  // Primary-auth facts the decision may need:
  directoryGroups: string[];
  grant?: TGrant; // a new login: what the primary granted, kept with any challenge this issues
  // A new login that already had rounds (an upstream challenge relayed before the primary accepted): their loginId,
  // which this step's rounds and outcome carry on.
  loginId?: string;
  now: Date;
};

// account (any decision): the user row the decision was made on, when it read one.
// loginId: one login's id, logged by each of its events: by every round of a challenge login (kept in the State) and,
// for a push without earlier rounds, the push request's id, which every worker attached to it logs (counted once).
export type TSecondFactorOutcome = { account?: TAuthUser; loginId?: string } & (
  // grant: what the primary granted before a challenge round, handed back with the accept that ends it.
  | { decision: "accept"; reason: TAuthReason; factor?: string; userId?: string; grant?: TGrant }
  // enrollmentUrl: the one-time link an unenrolled user was given (require_enrollment), for callers that show it
  // otherwise than in the Reply-Message (the Duo-compatible API's enroll_portal_url).
  | { decision: "reject"; reason: TAuthReason; replyMessage?: string; factor?: string; userId?: string; fraud?: boolean; enrollmentUrl?: string }
  | { decision: "challenge"; reason: TAuthReason; replyMessage: string; state: Buffer; userId?: string; enrollmentUrl?: string }
  | { decision: "error"; reason: TAuthReason; detail: string; userId?: string });
