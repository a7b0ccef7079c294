import type { TAuthReason } from "../auth-log/reason-codes";
import type { TPrisma } from "../db";
import { createEnrollmentLink } from "../enrollment/create-enrollment-link";
import { findHotpBeyondWindow } from "../factors/find-hotp-beyond-window";
import { classifyFactorInput, type TFactorInput } from "../policy/classify-factor-input";
import { cancelPendingPushes } from "../push/cancel-pending-pushes";
import type { TPushRuntime } from "../push/create-push-runtime";
import { runPushStep, runPushVerifyAnswer } from "../push/run-push-step";
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
  application: { factorEntry: TFactorEntry };
  pushAvailable?: boolean; // default: on when a push runtime is given
  push?: TPushRuntime;
  enrollmentBaseUrl?: string;
  dbTimeoutMs?: number; // default 10 s: well inside the ASA's usual 60 s, long enough not to misread a busy database
  probe: TDatabaseProbe; // decides whether a failed or slow query means "unreachable" (see classify-database-failure.ts)
};

const INCORRECT = "Incorrect passcode.";
const LOCKED = "Too many failed attempts: your account is locked. Contact your helpdesk.";

// The I/O shell around decideSecondFactor. Only a database that cannot be reached (a fresh connection fails too)
// applies the policy's fail mode; one that is slow past dbTimeoutMs, out of pool slots or failing queries while a fresh
// connection succeeds is an error, so load cannot open fail mode "safe". A challenge answer never fails open: primary
// authentication is not part of that request, so accepting it unverified would let anyone with a made-up State in.
export const runSecondFactor = async (options: TRunSecondFactorOptions): Promise<TSecondFactorOutcome> => {
  const { policy, request, dbTimeoutMs = 10_000 } = options;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DatabaseTimeoutError(dbTimeoutMs)), dbTimeoutMs);
    });
    const carried: TCarried = { grant: request.grant };
    const decided = await Promise.race([decideAndRun(options, () => clearTimeout(timer), carried), timeout]);
    const outcome = decided.decision === "accept" && carried.grant ? { ...decided, grant: carried.grant } : decided;
    return carried.account ? { ...outcome, account: carried.account } : outcome;
  } catch (error) {
    clearTimeout(timer);
    if ((await classifyDatabaseFailure({ error, probe: options.probe })) === "error") {
      return { decision: "error", reason: "error", detail: error instanceof Error ? error.message : String(error) };
    }
    if (request.challengeAnswer || policy.failMode === "secure") {
      return { decision: "reject", reason: "failmode_secure", replyMessage: "Two-factor authentication is unavailable. Try again later." };
    }
    return { decision: "accept", reason: "failmode_safe" };
  } finally {
    clearTimeout(timer);
  }
};

// `carried.grant` follows the login through its rounds: set by a new login, restored from the State on an answer.
// `carried.account` is the row the decision read, handed back so the caller need not read it again.
type TCarried = { grant?: TGrant; account?: TAuthUser };
const decideAndRun = async (options: TRunSecondFactorOptions, suspendTimeout: () => void, carried: TCarried): Promise<TSecondFactorOutcome> => {
  const { prisma, request, policy, application, push, pushAvailable = !!options.push } = options;
  const sql = options.sql ?? prismaQuery(prisma);
  const now = request.now;
  let input: TFactorInput | undefined;
  let challengeAttempts = 0;
  let resync: { authenticatorId: string; firstCode: string } | undefined;
  const inChallenge = !!request.challengeAnswer;
  let stateUserId: string | undefined;
  if (request.challengeAnswer) {
    const taken = await takeChallenge({ prisma, sql, state: request.challengeAnswer.state, clientId: request.radiusClientId, username: request.typedUsername ?? request.username, now });
    if (!taken.ok) return { decision: "reject", reason: taken.reason, replyMessage: "The sign-in attempt expired. Please sign in again." };
    challengeAttempts = taken.attempts + 1;
    stateUserId = taken.data.userId;
    carried.grant = taken.data.grant;
    if (!stateUserId) return { decision: "reject", reason: "challenge_invalid_state", replyMessage: "The sign-in attempt expired. Please sign in again." };
    const { purpose, authenticatorId, firstCode } = taken.data;
    if (purpose === "hotp_next" && authenticatorId && firstCode) resync = { authenticatorId, firstCode };
    if (purpose === "push_verify" && push && taken.data.pushRequestId) {
      const answer = { prisma, runtime: push, pushRequestId: taken.data.pushRequestId, userId: stateUserId, answer: request.challengeAnswer.answer, policy, now, suspendTimeout };
      const pushed = await runPushVerifyAnswer(answer);
      if (pushed) return pushed; // otherwise a passcode overtook the push: verified below as usual
    }
    const { proof } = request.challengeAnswer;
    input = proof ? classifyProvenAnswer({ proof }) : classifyFactorInput({ text: request.challengeAnswer.answer, context: "challenge" });
  } else if (request.appended) {
    input = classifyFactorInput({ text: request.appended, context: "append" });
  }
  const readUser = options.readUser ?? createUserReader({ query: sql });
  // A challenge answer continues the login of the user the State was issued for, whatever name the NAS repeats.
  const account = await (stateUserId ? readUser({ id: stateUserId }) : (options.user ?? readUser({ username: request.username })));
  carried.account = account;
  const user: TUserFacts | null = account?.facts ?? null;
  const decide = (facts: TUserFacts | null, factorInput: TFactorInput | undefined, challenged: boolean) =>
    decideSecondFactor({
      user: facts,
      policy,
      factorEntry: application.factorEntry,
      network: { clientAddress: request.clientAddress, callingStationId: request.callingStationId },
      input: factorInput,
      inChallenge: challenged,
      whenNothingTyped: request.whenNothingTyped,
      pushAvailable,
      now,
    });
  const step = decide(user, input, inChallenge);
  if (user && step.autoUnlocked) await autoUnlockUser({ prisma, userId: user.id, policy, now });
  const userId = user?.id;
  // A new round after a wrong code is logged with the failure's reason, so the failure is visible in the auth log.
  const challenge = async (replyMessage: string, data: TChallengeData, attempts: number, reason: TAuthReason = "challenge_issued"): Promise<TSecondFactorOutcome> => {
    const state = await issueChallenge({ prisma, sql, clientId: request.radiusClientId, username: request.typedUsername ?? request.username, data: { ...data, grant: carried.grant }, attempts, ttlSec: policy.challengeTimeoutSec, now });
    return { decision: "challenge", reason, replyMessage, state, userId: data.userId };
  };

  switch (step.step) {
    case "accept":
      return { decision: "accept", reason: step.reason, userId };
    case "reject":
      return { decision: "reject", reason: step.reason, replyMessage: step.replyMessage, userId };
    case "challenge": {
      if (!user) return { decision: "reject", reason: "error", replyMessage: "Sign-in failed." };
      // An answer that is no factor at all (a typo, an empty line) uses up a round too, so rounds stay bounded.
      const unrecognized = inChallenge && !input;
      if (unrecognized && challengeAttempts >= policy.maxChallengeAttempts) return { decision: "reject", reason: "invalid_passcode", replyMessage: INCORRECT, userId };
      return challenge(step.replyMessage, { userId: user.id, purpose: "factor" }, challengeAttempts, unrecognized ? "invalid_passcode" : "challenge_issued");
    }
    case "push":
      if (!push || !user) return { decision: "reject", reason: "factor_not_allowed", replyMessage: "Push is not available. Use a passcode instead.", userId };
      return runPushStep({ prisma, runtime: push, request, policy, userId: user.id, suspendTimeout, challenge: (text, pushRequestId) => challenge(text, { userId: user.id, purpose: "push_verify", pushRequestId }, challengeAttempts) });
    case "enroll": {
      if (inChallenge && challengeAttempts > policy.maxChallengeAttempts) {
        return { decision: "reject", reason: "enrollment_required", replyMessage: "Enroll a second factor, then sign in again.", userId };
      }
      // Not in Twofold yet: primary authentication succeeded, so this is a real user of the application.
      const enrollee = user ?? (await prisma.user.upsert({ where: { username: request.username }, create: { username: request.username }, update: {}, select: { id: true } }));
      const link = await createEnrollmentLink({ prisma, userId: enrollee.id, createdBy: "radius", ttlMinutes: Math.max(15, Math.ceil(policy.challengeTimeoutSec / 60)), now, baseUrl: options.enrollmentBaseUrl });
      if (application.factorEntry === "append") {
        return { decision: "reject", reason: "enrollment_required", replyMessage: `Two-factor enrollment required. Enroll at ${link.url} and sign in again with your password,passcode.`, userId: enrollee.id, enrollmentUrl: link.url };
      }
      const issued = await challenge(`Enroll at ${link.url} then enter the code from your authenticator app`, { userId: enrollee.id, purpose: "enroll" }, challengeAttempts);
      return issued.decision === "challenge" ? { ...issued, enrollmentUrl: link.url } : issued;
    }
    case "verify_passcode":
    case "verify_bypass": {
      if (!user) return { decision: "reject", reason: "error", replyMessage: "Sign-in failed." };
      // One statement claims a lockout attempt, spends the code if it is fresh and re-checks the user.
      const proof = request.challengeAnswer?.proof;
      const supplied = proof && step.step === "verify_passcode" ? { ...step, code: proof } : step;
      const verified = await verifySuppliedFactor({ prisma, sql, userId: user.id, otpKeys: account?.otpKeys ?? [], step: supplied, resync, lockoutThreshold: policy.lockoutThreshold, now });
      const { reason, factor } = verified;
      if (verified.kind === "refused") {
        const refusal = reason === "user_disabled" ? "Your account is disabled. Contact your helpdesk." : LOCKED;
        return { decision: "reject", reason, replyMessage: refusal, factor, userId };
      }
      if (verified.kind === "accepted") {
        // A passcode overtakes a pending push. Only an active device can approve a push (decide-push.ts), so a user
        // without one has nothing to cancel, and a TOTP-only user's login pays no round trip for it.
        const approvable = user.authenticators.some((authenticator) => authenticator.kind === "push_device" && authenticator.active);
        if (push && approvable) await cancelPendingPushes({ prisma, userId: user.id, now });
        return { decision: "accept", reason, factor, userId };
      }
      const after = await recordFactorFailure({ prisma, userId: user.id, policy, factorEntry: application.factorEntry, inChallenge, challengeAttempts, failedAttempts: verified.failedAttempts, now });
      if (after.lock) return { decision: "reject", reason, replyMessage: LOCKED, factor, userId };
      if (step.step === "verify_passcode" && !resync && !proof && application.factorEntry !== "append" && challengeAttempts < policy.maxChallengeAttempts) {
        const drifted = await findHotpBeyondWindow({ prisma, authenticatorIds: step.authenticatorIds, code: step.code });
        if (drifted) {
          const data = { userId: user.id, purpose: "hotp_next" as const, authenticatorId: drifted, firstCode: step.code };
          return challenge("Your token is out of sync. Press its button again and enter the next code", data, challengeAttempts);
        }
      }
      if (after.next === "rechallenge") {
        const menu = decide({ ...user, status: "active", failedAttempts: 0 }, undefined, true);
        if (menu.step === "challenge") return challenge(menu.replyMessage, { userId: user.id, purpose: "factor" }, Math.max(challengeAttempts, 1), reason);
      }
      return { decision: "reject", reason, replyMessage: INCORRECT, factor, userId };
    }
  }
};
