import { randomUUID } from "node:crypto";
import type { TAuthReason } from "../auth-log/reason-codes";
import { replyMessageFor } from "../auth-log/reason-messages";
import type { TPrisma } from "../db";
import { createEnrollmentLink } from "../enrollment/create-enrollment-link";
import { AppError } from "../errors/app-error";
import { findHotpBeyondWindow } from "../factors/find-hotp-beyond-window";
import { classifyFactorInput, type TFactorInput } from "../policy/classify-factor-input";
import { cancelPendingPushes } from "../push/cancel-pending-pushes";
import type { TPushRuntime } from "../push/create-push-runtime";
import { explainFraudLock } from "../push/explain-fraud-lock";
import { noResponseMessage } from "../push/no-response-message";
import { runPushStep } from "../push/run-push-step";
import { runPushVerifyAnswer } from "../push/run-push-verify-answer";
import { decideSecondFactor } from "../policy/decide-second-factor";
import type { TFactorEntry, TUserFacts } from "../policy/decision-types";
import { createUserReader, type TUserReader } from "../users/create-user-reader";
import { prismaQuery, type TAuthUser, type TSqlQuery } from "../users/read-user";
import type { TEffectivePolicy } from "../policy/policy-schemas";
import { issueChallenge, takeChallenge, type TChallengeData, type TGrant } from "./challenge-state";
import { classifyDatabaseFailure, DatabaseTimeoutError } from "./classify-database-failure";
import { classifyProvenAnswer } from "./classify-proven-answer";
import type { TDatabaseProbe } from "./create-database-probe";
import { autoUnlockUser, recordFactorFailure } from "./record-factor-result";
import type { TSecondFactorOutcome, TSecondFactorRequest } from "./types";
import { verifySuppliedFactor } from "./verify-supplied-factor";

export type TRunSecondFactorOptions = {
  prisma: TPrisma;
  // Plain pg for the statements of every login (challenge State, the factor's claim); default: the same SQL through
  // Prisma's raw query.
  sql?: TSqlQuery;
  request: TSecondFactorRequest;
  // The account as the pipeline already read it (a rejection of the read is the outage fail mode judges); otherwise
  // read here, by the State's user for a challenge answer, by `request.username` for a new login.
  user?: Promise<TAuthUser | undefined>;
  readUser?: TUserReader; // default: the same reader over Prisma
  policy: TEffectivePolicy; // from the worker's snapshot, which outlives a database outage: fail mode needs it then
  application: { factorEntry: TFactorEntry; appendDelimiter?: string }; // the delimiter: named in factor_required's message
  pushAvailable?: boolean; // default: on when a push runtime is given
  push?: TPushRuntime;
  enrollmentBaseUrl?: string;
  dbTimeoutMs?: number; // default 10 s: well inside the ASA's usual 60 s, long enough not to misread a busy database
  probe: TDatabaseProbe; // decides whether a failed or slow query means "unreachable" (see classify-database-failure.ts)
};

const NO_PUSH_OUT_OF_BAND = "This network sign-in needs a push approval on the Twofold app (without a number to type).";

// The I/O shell around decideSecondFactor. Only a database that cannot be reached (a fresh connection fails too)
// applies the policy's fail mode; one that is slow past dbTimeoutMs, out of pool slots or failing queries while a fresh
// connection succeeds is an error, so load cannot open fail mode "safe". A challenge answer never fails open: primary
// authentication is not part of that request, so accepting it unverified would let anyone with a made-up State in.
export const runSecondFactor = async (options: TRunSecondFactorOptions): Promise<TSecondFactorOutcome> => {
  const { policy, request, dbTimeoutMs = 10_000 } = options;
  let timer: NodeJS.Timeout | undefined;
  const carried: TCarried = { grant: request.grant, loginId: request.loginId };
  // The login's rounds share one id, whoever ends it: once it has one (an earlier round's State), it wins over the
  // push's id, which identifies only a login that had no rounds before its push.
  const withLogin = (outcome: TSecondFactorOutcome): TSecondFactorOutcome => (carried.loginId ? { ...outcome, loginId: carried.loginId } : outcome);
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DatabaseTimeoutError(dbTimeoutMs)), dbTimeoutMs);
    });
    const decided = await Promise.race([decideAndRun(options, () => clearTimeout(timer), carried).then((outcome) => explainFraudLock({ prisma: options.prisma, outcome })), timeout]);
    const outcome = decided.decision === "accept" && carried.grant ? { ...decided, grant: carried.grant } : decided;
    return withLogin(carried.account ? { ...outcome, account: carried.account } : outcome);
  } catch (error) {
    clearTimeout(timer);
    if ((await classifyDatabaseFailure({ error, probe: options.probe })) === "error") {
      return withLogin({ decision: "error", reason: "error", detail: error instanceof Error ? error.message : String(error) });
    }
    if (request.challengeAnswer || policy.failMode === "secure") {
      return withLogin({ decision: "reject", reason: "failmode_secure", replyMessage: replyMessageFor({ reason: "failmode_secure" }) });
    }
    return withLogin({ decision: "accept", reason: "failmode_safe" });
  } finally {
    clearTimeout(timer);
  }
};

// An unanswered push: "try again", and what else this user can do (a push-only user has no passcode to use instead).
const explainNoResponse = (outcome: TSecondFactorOutcome, user: TUserFacts | undefined, policy: TEffectivePolicy): TSecondFactorOutcome =>
  outcome.decision === "reject" && outcome.reason === "no_response" && user ? { ...outcome, replyMessage: noResponseMessage({ user, policy }) } : outcome;

// `carried.grant` follows the login through its rounds: set by a new login, restored from the State on an answer.
// `carried.account` is the row the decision read, handed back so the caller need not read it again.
// `carried.loginId`: the login's id once it has rounds (restored from the State, or given by the first round).
type TCarried = { grant?: TGrant; account?: TAuthUser; loginId?: string };
const decideAndRun = async (options: TRunSecondFactorOptions, suspendTimeout: () => void, carried: TCarried): Promise<TSecondFactorOutcome> => {
  const { prisma, request, policy, application, push, pushAvailable = !!options.push } = options;
  const sql = options.sql ?? prismaQuery(prisma);
  const now = request.now;
  let input: TFactorInput | undefined;
  let challengeAttempts = 0;
  let resync: { authenticatorId: string; firstCode: string } | undefined;
  const inChallenge = !!request.challengeAnswer;
  let stateUserId: string | undefined;
  const readUser = options.readUser ?? createUserReader({ query: sql });
  if (request.challengeAnswer) {
    const taken = await takeChallenge({ prisma, sql, state: request.challengeAnswer.state, clientId: request.radiusClientId, username: request.typedUsername ?? request.username, now });
    if (!taken.ok) return { decision: "reject", reason: taken.reason, replyMessage: replyMessageFor({ reason: taken.reason }) };
    challengeAttempts = taken.attempts + 1;
    stateUserId = taken.data.userId;
    carried.grant = taken.data.grant;
    carried.loginId = taken.data.loginId ?? carried.loginId;
    if (!stateUserId) return { decision: "reject", reason: "challenge_invalid_state", replyMessage: replyMessageFor({ reason: "challenge_invalid_state" }) };
    const { purpose, authenticatorId, firstCode } = taken.data;
    if (purpose === "hotp_next" && authenticatorId && firstCode) resync = { authenticatorId, firstCode };
    if (purpose === "push_verify" && push && taken.data.pushRequestId) {
      const { pushRequestId } = taken.data;
      const verifyUserId = stateUserId;
      // A mistyped number asks again for the same push, logged with the failure's reason (as a wrong passcode is).
      const rechallenge = async (replyMessage: string): Promise<TSecondFactorOutcome> => {
        const data = { userId: verifyUserId, purpose: "push_verify" as const, pushRequestId, grant: carried.grant, loginId: (carried.loginId ??= pushRequestId) };
        const state = await issueChallenge({ prisma, sql, clientId: request.radiusClientId, username: request.typedUsername ?? request.username, data, attempts: challengeAttempts, ttlSec: policy.challengeTimeoutSec, now });
        return { decision: "challenge", reason: "invalid_passcode", replyMessage, state, userId: verifyUserId };
      };
      const answer = { prisma, runtime: push, pushRequestId, userId: stateUserId, answer: request.challengeAnswer.answer, attempts: challengeAttempts, policy, rechallenge, now, suspendTimeout };
      const pushed = await runPushVerifyAnswer(answer);
      // Otherwise a passcode overtook the push: verified below as usual.
      if (pushed) return pushed.reason === "no_response" ? explainNoResponse(pushed, (await readUser({ id: verifyUserId }).catch(() => undefined))?.facts, policy) : pushed;
    }
    const { proof } = request.challengeAnswer;
    input = proof ? classifyProvenAnswer({ proof }) : classifyFactorInput({ text: request.challengeAnswer.answer, context: "challenge" });
  } else if (request.appended) {
    input = classifyFactorInput({ text: request.appended, context: "append" });
  }
  // A challenge answer continues the login of the user the State was issued for, whatever name the NAS repeats.
  const account = await (stateUserId ? readUser({ id: stateUserId }) : (options.user ?? readUser({ username: request.username })));
  carried.account = account;
  const user: TUserFacts | null = account?.facts ?? null;
  const decide = (facts: TUserFacts | null, factorInput: TFactorInput | undefined, challenged: boolean) =>
    decideSecondFactor({
      user: facts,
      policy,
      factorEntry: application.factorEntry,
      appendDelimiter: application.appendDelimiter,
      // The user's reported address only: the NAS's (request.clientAddress) carries every user's login.
      network: { callingStationId: request.callingStationId },
      input: factorInput,
      inChallenge: challenged,
      // The request's own need (MS-CHAPv2, EAP: nothing can be typed) wins; otherwise the policy "when nothing is typed".
      whenNothingTyped: request.whenNothingTyped ?? (policy.whenNothingTyped === "push_first" ? "push" : undefined),
      pushAvailable,
      now,
    });
  const step = decide(user, input, inChallenge);
  if (user && step.autoUnlocked) await autoUnlockUser({ prisma, userId: user.id, policy, now });
  const userId = user?.id;
  // A new round after a wrong code is logged with the failure's reason, so the failure is visible in the auth log; the
  // loginId every round carries tells the dashboard it was a round of a login that went on. The first round names the
  // login: a verified push by its push request (as every worker attached to that push does), otherwise a new id.
  const challenge = async (replyMessage: string, data: TChallengeData, attempts: number, reason: TAuthReason = "challenge_issued"): Promise<TSecondFactorOutcome> => {
    const loginId = (carried.loginId ??= data.pushRequestId ?? randomUUID());
    const state = await issueChallenge({ prisma, sql, clientId: request.radiusClientId, username: request.typedUsername ?? request.username, data: { ...data, grant: carried.grant, loginId }, attempts, ttlSec: policy.challengeTimeoutSec, now });
    return { decision: "challenge", reason, replyMessage, state, userId: data.userId };
  };

  switch (step.step) {
    case "accept":
      return { decision: "accept", reason: step.reason, userId };
    case "reject":
      return { decision: "reject", reason: step.reason, replyMessage: step.replyMessage, userId };
    case "challenge": {
      if (!user) return { decision: "reject", reason: "error", replyMessage: replyMessageFor({ reason: "error" }) };
      if (request.outOfBand) return { decision: "reject", reason: "factor_not_allowed", replyMessage: NO_PUSH_OUT_OF_BAND, userId };
      // An answer that is no factor at all (a typo, an empty line) uses up a round too, so rounds stay bounded.
      const unrecognized = inChallenge && !input;
      if (unrecognized && challengeAttempts >= policy.maxChallengeAttempts) return { decision: "reject", reason: "invalid_passcode", replyMessage: replyMessageFor({ reason: "invalid_passcode" }), userId };
      return challenge(step.replyMessage, { userId: user.id, purpose: "factor" }, challengeAttempts, unrecognized ? "invalid_passcode" : "challenge_issued");
    }
    case "push":
      if (!push || !user) return { decision: "reject", reason: "factor_not_allowed", replyMessage: replyMessageFor({ reason: "factor_not_allowed" }), userId };
      // Nobody could type the number a verified push asks for: refused before a push is sent, never approved by a tap.
      if (request.outOfBand && policy.verifiedPush) return { decision: "reject", reason: "factor_not_allowed", replyMessage: NO_PUSH_OUT_OF_BAND, factor: "push", userId };
      return explainNoResponse(await runPushStep({ prisma, runtime: push, request, policy, userId: user.id, user, suspendTimeout, challenge: (text, pushRequestId) => challenge(text, { userId: user.id, purpose: "push_verify", pushRequestId }, challengeAttempts) }), user, policy);
    case "enroll": {
      if (request.outOfBand) return { decision: "reject", reason: "enrollment_required", replyMessage: "Enroll a second factor with the Twofold app, then connect again.", userId };
      if (inChallenge && challengeAttempts > policy.maxChallengeAttempts) {
        return { decision: "reject", reason: "enrollment_required", replyMessage: replyMessageFor({ reason: "enrollment_required" }), userId };
      }
      // Not in Twofold yet: primary authentication succeeded, so this is a real user of the application.
      const enrollee = user ?? (await prisma.user.upsert({ where: { username: request.username }, create: { username: request.username }, update: {}, select: { id: true } }));
      // A first-factor link (mayAddFactor false): refused should the user have enrolled since the read above, so the
      // password alone never adds a factor to an enrolled account.
      const link = await createEnrollmentLink({ prisma, userId: enrollee.id, createdBy: "radius", ttlMinutes: Math.max(15, Math.ceil(policy.challengeTimeoutSec / 60)), now, baseUrl: options.enrollmentBaseUrl }).catch((error: unknown) => {
        if (AppError.is(error) && error.code === "CONFLICT") return undefined;
        throw error;
      });
      if (!link) return { decision: "reject", reason: "factor_not_allowed", replyMessage: replyMessageFor({ reason: "factor_not_allowed" }), userId: enrollee.id };
      if (application.factorEntry === "append") {
        return { decision: "reject", reason: "enrollment_required", replyMessage: replyMessageFor({ reason: "enrollment_required", enrollmentUrl: link.url }), userId: enrollee.id, enrollmentUrl: link.url };
      }
      const issued = await challenge(`Enroll at ${link.url} then enter the code from your authenticator app`, { userId: enrollee.id, purpose: "enroll" }, challengeAttempts);
      return issued.decision === "challenge" ? { ...issued, enrollmentUrl: link.url } : issued;
    }
    case "verify_passcode":
    case "verify_bypass": {
      if (!user) return { decision: "reject", reason: "error", replyMessage: replyMessageFor({ reason: "error" }) };
      // One statement claims a lockout attempt, spends the code if it is fresh and re-checks the user.
      const proof = request.challengeAnswer?.proof;
      const supplied = proof && step.step === "verify_passcode" ? { ...step, code: proof } : step;
      const verified = await verifySuppliedFactor({ prisma, sql, userId: user.id, otpKeys: account?.otpKeys ?? [], step: supplied, resync, lockoutThreshold: policy.lockoutThreshold, now });
      const { reason, factor } = verified;
      if (verified.kind === "refused") return { decision: "reject", reason, replyMessage: replyMessageFor({ reason }), factor, userId };
      if (verified.kind === "accepted") {
        // A passcode overtakes a pending push. Only an active device can approve a push (decide-push.ts), so a user
        // without one has nothing to cancel, and a TOTP-only user's login pays no round trip for it.
        const approvable = user.authenticators.some((authenticator) => authenticator.kind === "push_device" && authenticator.active);
        if (push && approvable) await cancelPendingPushes({ prisma, userId: user.id, now });
        return { decision: "accept", reason, factor, userId };
      }
      const after = await recordFactorFailure({ prisma, userId: user.id, policy, factorEntry: application.factorEntry, inChallenge, challengeAttempts, failedAttempts: verified.failedAttempts, now });
      // The failure is said first, then that it locked the account: the log keeps the failure's reason.
      if (after.lock) return { decision: "reject", reason, replyMessage: replyMessageFor({ reason, also: "locked_out" }), factor, userId };
      if (step.step === "verify_passcode" && !resync && !proof && application.factorEntry !== "append" && challengeAttempts < policy.maxChallengeAttempts) {
        const drifted = await findHotpBeyondWindow({ prisma, authenticatorIds: step.authenticatorIds, code: step.code });
        if (drifted) {
          const data = { userId: user.id, purpose: "hotp_next" as const, authenticatorId: drifted, firstCode: step.code };
          return challenge("Your token is out of sync. Press its button again and enter the next code", data, challengeAttempts);
        }
      }
      if (after.next === "rechallenge") {
        const menu = decide({ ...user, status: "active", failedAttempts: 0 }, undefined, true);
        if (menu.step === "challenge") return challenge(replyMessageFor({ reason, prompt: menu.prompt }), { userId: user.id, purpose: "factor" }, Math.max(challengeAttempts, 1), reason);
      }
      return { decision: "reject", reason, replyMessage: replyMessageFor({ reason }), factor, userId };
    }
  }
};
