import type { TPrisma } from "../db";
import type { TEffectivePolicy } from "../policy/policy-schemas";
import { claimFactorAttempt } from "../second-factor/claim-factor-attempt";
import { lockAtThreshold } from "../second-factor/record-factor-result";
import type { TSecondFactorOutcome } from "../second-factor/types";
import { cancelPendingPushes } from "./cancel-pending-pushes";
import type { TPushRuntime } from "./create-push-runtime";
import { VERIFY_RETRY_PROMPT } from "./run-push-step";
import { refusedPushOutcome, settlePush } from "./settle-push";
import { waitForPushDecision } from "./wait-for-push-decision";
import { replyMessageFor } from "../auth-log/reason-messages";

export type TRunPushVerifyAnswerOptions = {
  prisma: TPrisma;
  runtime: TPushRuntime;
  pushRequestId: string;
  userId: string;
  answer: string;
  attempts: number; // this answer's round of the challenge, 1 for the first
  policy: Pick<TEffectivePolicy, "lockoutThreshold" | "maxChallengeAttempts">;
  // Another round for the same push: a new State bound to it (the answered one is spent).
  rechallenge: (replyMessage: string) => Promise<TSecondFactorOutcome>;
  now: Date;
  suspendTimeout: () => void;
};

const LOCKED = "Too many failed attempts: your account is locked. Contact your helpdesk.";
const WRONG = "That is not the number your phone shows. Please sign in again.";

// The NAS's answer to "type the number it shows". A passcode instead overtakes the push (undefined: the caller
// verifies it as usual); the right number waits for the phone's approval. A typed number is a guess at a secret like a
// passcode, so it claims a lockout attempt first (the exact lockout); only an approval gives it back. A wrong number
// keeps the push pending and asks again, up to the challenge's attempts; the last wrong one ends the push.
export const runPushVerifyAnswer = async (options: TRunPushVerifyAnswerOptions): Promise<TSecondFactorOutcome | undefined> => {
  const { prisma, runtime, pushRequestId, userId, answer, attempts, policy, rechallenge, now, suspendTimeout } = options;
  const loginId = pushRequestId;
  const text = answer.trim();
  if (/^\d{6,16}$/.test(text)) {
    await cancelPendingPushes({ prisma, userId, requestId: pushRequestId, now });
    return undefined;
  }
  const row = await prisma.pushRequest.findUnique({ where: { id: pushRequestId }, select: { verifyNumber: true, expiresAt: true, userId: true } });
  if (!row || row.userId !== userId) return { decision: "reject", reason: "challenge_invalid_state", replyMessage: replyMessageFor({ reason: "challenge_invalid_state" }), userId };
  const claim = await claimFactorAttempt({ prisma, userId, lockoutThreshold: policy.lockoutThreshold });
  if (!claim.ok) {
    await cancelPendingPushes({ prisma, userId, requestId: pushRequestId, now });
    return refusedPushOutcome(claim.reason, userId, loginId);
  }
  if (!row.verifyNumber || text !== row.verifyNumber) {
    const locked = await lockAtThreshold({ prisma, userId, lockoutThreshold: policy.lockoutThreshold, failedAttempts: claim.attempt, now });
    if (!locked && row.verifyNumber && attempts < policy.maxChallengeAttempts && row.expiresAt.getTime() > now.getTime()) {
      return { ...(await rechallenge(VERIFY_RETRY_PROMPT)), loginId };
    }
    await cancelPendingPushes({ prisma, userId, requestId: pushRequestId, now });
    return { decision: "reject", reason: "invalid_passcode", replyMessage: locked ? LOCKED : WRONG, factor: "push", userId, loginId };
  }
  suspendTimeout();
  const status = await waitForPushDecision({ prisma, listener: runtime.listener, requestId: pushRequestId, expiresAt: row.expiresAt });
  const outcome = await settlePush({ prisma, status, requestId: pushRequestId, userId });
  // Not approved: the claimed attempt stands as a failure, and the last one allowed locks, as for a wrong number.
  if (outcome.decision !== "accept") await lockAtThreshold({ prisma, userId, lockoutThreshold: policy.lockoutThreshold, failedAttempts: claim.attempt, now });
  return outcome;
};
