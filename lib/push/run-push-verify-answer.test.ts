import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { POLICY_DEFAULTS } from "../policy/policy-schemas";
import type { TSecondFactorOutcome } from "../second-factor/types";
import { createOrAttachPushRequest } from "./create-or-attach-push-request";
import { createPushRuntime, type TPushRuntime } from "./create-push-runtime";
import { runPushVerifyAnswer } from "./run-push-verify-answer";

let runtime: TPushRuntime;
beforeAll(async () => {
  runtime = await createPushRuntime({ databaseUrl: process.env.DATABASE_URL ?? "" });
});
afterAll(async () => {
  await runtime?.stop();
  await disconnectPrisma();
});

const policy = { ...POLICY_DEFAULTS, verifiedPush: true, pushTimeoutSec: 60, maxChallengeAttempts: 3, lockoutThreshold: 10 };

const seed = async () => {
  const user = await prisma.user.create({ data: { username: `verify-${randomUUID()}` }, select: { id: true } });
  const created = await createOrAttachPushRequest({ prisma, login: { userId: user.id, applicationId: randomUUID() }, policy, now: new Date() });
  if (created.kind !== "created") throw new Error(`unexpected ${created.kind}`);
  return { userId: user.id, request: created.request };
};

const answer = (options: { userId: string; pushRequestId: string; text: string; attempts: number }) =>
  runPushVerifyAnswer({
    prisma,
    runtime,
    pushRequestId: options.pushRequestId,
    userId: options.userId,
    answer: options.text,
    attempts: options.attempts,
    policy,
    // The caller's next round (run-second-factor issues a State); here only what it was asked to say.
    rechallenge: async (replyMessage): Promise<TSecondFactorOutcome> => ({ decision: "challenge", reason: "invalid_passcode", replyMessage, state: Buffer.alloc(20) }),
    now: new Date(),
    suspendTimeout: () => undefined,
  });

describe("verified push: what the user types", () => {
  it("hostile answers are wrong numbers: each claims one lockout attempt, asks again within the limit, and never ends the push early", async () => {
    const hostile = ["", "   ", "\u0000", "１２", "12\u0000", "١٢", "abc", "9".repeat(5), "x".repeat(300), "\uFFFD\uD800"];
    for (const text of hostile) {
      const { userId, request } = await seed();
      const outcome = await answer({ userId, pushRequestId: request.id, text, attempts: 1 });
      expect(outcome, JSON.stringify(text)).toMatchObject({ decision: "challenge", replyMessage: "That is not the number your phone shows. Type the number it shows", loginId: request.id });
      expect((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).failedAttempts).toBe(1);
      expect((await prisma.pushRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("pending");
    }
  });

  it("the last allowed attempt ends the push; another user's id cannot answer it", async () => {
    const { userId, request } = await seed();
    const wrong = request.verifyNumber === "10" ? "11" : "10";
    expect(await answer({ userId, pushRequestId: request.id, text: wrong, attempts: 3 })).toMatchObject({ decision: "reject", reason: "invalid_passcode", replyMessage: "That is not the number your phone shows. Please sign in again." });
    expect((await prisma.pushRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("cancelled");
    const other = await seed();
    expect(await answer({ userId, pushRequestId: other.request.id, text: other.request.verifyNumber ?? "", attempts: 1 })).toMatchObject({ decision: "reject", reason: "challenge_invalid_state" });
  });

  it("mistypes reaching the lockout threshold lock the user and end the push at once", async () => {
    const { userId, request } = await seed();
    await prisma.user.update({ where: { id: userId }, data: { failedAttempts: 9 } });
    const wrong = request.verifyNumber === "10" ? "11" : "10";
    expect(await answer({ userId, pushRequestId: request.id, text: wrong, attempts: 1 })).toMatchObject({ decision: "reject", reason: "invalid_passcode", replyMessage: "Too many failed attempts: your account is locked. Contact your helpdesk." });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).status).toBe("locked_out");
    expect((await prisma.pushRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("cancelled");
  });
});
