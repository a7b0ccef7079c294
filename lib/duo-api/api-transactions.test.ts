import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { disconnectPrisma, prisma } from "../db";
import { createPushListener, type TPushListener } from "../push/push-listener";
import type { TApiDecision } from "./api-decision-types";
import { createApiTransactions } from "./api-transactions";

const allow: TApiDecision = { result: "allow", reason: "valid_push", statusMsg: "ok" };
const app = randomUUID();
const other = randomUUID();

// Two stores over one database are two workers: the txid is a row, so a poll may land on either.
let listener: TPushListener;
beforeAll(async () => {
  listener = await createPushListener({ databaseUrl: process.env.DATABASE_URL ?? "" });
});
afterAll(async () => {
  await listener?.stop();
  await disconnectPrisma();
});

describe("async transactions", () => {
  it("answer 'waiting' at most once per txid across workers: every later poll, on either worker, waits for the outcome", async () => {
    const workerA = createApiTransactions({ prisma, listener, firstWaitMs: 10 });
    const workerB = createApiTransactions({ prisma, listener, firstWaitMs: 10 });
    let settle: (decision: TApiDecision) => void = () => undefined;
    const txid = (await workerA.start({ applicationId: app, pushing: true, run: () => new Promise<TApiDecision>((resolve) => (settle = resolve)) })) ?? "";
    expect(await workerB.poll({ txid, applicationId: app })).toEqual({ kind: "waiting", pushing: true });
    const second = workerA.poll({ txid, applicationId: app });
    const third = workerB.poll({ txid, applicationId: app });
    settle(allow);
    expect(await second).toEqual({ kind: "settled", decision: allow });
    expect(await third).toEqual({ kind: "settled", decision: allow });
    expect(await workerB.poll({ txid, applicationId: app })).toEqual({ kind: "settled", decision: allow });
    expect((await prisma.apiTransaction.findUniqueOrThrow({ where: { id: txid } })).settledAt).not.toBeNull();
    workerA.stop();
    workerB.stop();
  });

  it("a txid is unknown to another application and as any other text; the store is bounded", async () => {
    const transactions = createApiTransactions({ prisma, listener, maxPending: 1 });
    const txid = (await transactions.start({ applicationId: app, pushing: false, run: () => new Promise<TApiDecision>(() => undefined) })) ?? "";
    expect(await transactions.poll({ txid, applicationId: other })).toEqual({ kind: "unknown" });
    for (const hostile of ["", "x", `${txid}'--`, txid.toUpperCase().replace(/-/g, ""), "\u0000", randomUUID()]) expect(await transactions.poll({ txid: hostile, applicationId: app })).toEqual({ kind: "unknown" });
    expect(await transactions.start({ applicationId: app, pushing: false, run: async () => allow })).toBeUndefined();
    transactions.stop();
  });

  it("a transaction whose worker died is failed at the deadline, once, and every poller gets the same answer", async () => {
    const txid = randomUUID();
    await prisma.apiTransaction.create({ data: { id: txid, applicationId: app, pushing: true, createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) } });
    const survivor = createApiTransactions({ prisma, listener, firstWaitMs: 10, deadlineMs: 1500 });
    expect(await survivor.poll({ txid, applicationId: app })).toEqual({ kind: "waiting", pushing: true });
    const [one, two] = await Promise.all([survivor.poll({ txid, applicationId: app }), survivor.poll({ txid, applicationId: app })]);
    expect(one).toEqual(two);
    expect(one).toMatchObject({ kind: "settled", decision: { result: "deny", reason: "error" } });
    survivor.stop();
  });

  it("never writes an enrollment link's token to the row: the worker that ran the login answers with the link, another without", async () => {
    const token = randomBytes(16).toString("base64url");
    const url = `https://mfa.example/enroll/${token}`;
    const enroll: TApiDecision = { result: "deny", reason: "enrollment_required", statusMsg: `Enroll a second factor at ${url}, then sign in again.`, enrollmentUrl: url };
    const withoutLink: TApiDecision = { result: "deny", reason: "enrollment_required", statusMsg: "Two-factor enrollment required: enroll a second factor, then sign in again." };
    const workerA = createApiTransactions({ prisma, listener, firstWaitMs: 10 });
    const workerB = createApiTransactions({ prisma, listener, firstWaitMs: 10 });
    const txid = (await workerA.start({ applicationId: app, pushing: false, run: async () => enroll })) ?? "";
    const row = await waitFor(async () => (await prisma.apiTransaction.findFirst({ where: { id: txid, settledAt: { not: null } } })) ?? undefined, { timeoutMs: 5000 });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row?.decision).toEqual(withoutLink);
    expect(await workerA.poll({ txid, applicationId: app })).toEqual({ kind: "settled", decision: enroll });
    expect(await workerB.poll({ txid, applicationId: app })).toEqual({ kind: "settled", decision: withoutLink });
    // Any other answer is stored as it is.
    const allowed = (await workerA.start({ applicationId: app, pushing: false, run: async () => allow })) ?? "";
    expect((await waitFor(async () => (await prisma.apiTransaction.findFirst({ where: { id: allowed, settledAt: { not: null } } })) ?? undefined, { timeoutMs: 5000 }))?.decision).toEqual(allow);
    workerA.stop();
    workerB.stop();
  });
});
