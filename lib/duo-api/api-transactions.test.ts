import { describe, expect, it } from "vitest";
import type { TApiDecision } from "./api-decision-types";
import { createApiTransactions } from "./api-transactions";

const allow: TApiDecision = { result: "allow", reason: "valid_push", statusMsg: "ok" };

describe("async transactions", () => {
  it("answer 'waiting' at most once per txid: every later poll waits for the outcome", async () => {
    const transactions = createApiTransactions({ firstWaitMs: 10 });
    let settle: (decision: TApiDecision) => void = () => undefined;
    const txid = transactions.start({ applicationId: "app", pushing: true, run: () => new Promise<TApiDecision>((resolve) => (settle = resolve)) }) ?? "";
    expect(await transactions.poll({ txid, applicationId: "app" })).toEqual({ kind: "waiting", pushing: true });
    const second = transactions.poll({ txid, applicationId: "app" });
    const third = transactions.poll({ txid, applicationId: "app" });
    settle(allow);
    expect(await second).toEqual({ kind: "settled", decision: allow });
    expect(await third).toEqual({ kind: "settled", decision: allow });
    expect(await transactions.poll({ txid, applicationId: "app" })).toEqual({ kind: "settled", decision: allow });
    transactions.stop();
  });

  it("a txid is unknown to another application, and the store is bounded", async () => {
    const transactions = createApiTransactions({ maxPending: 1 });
    const txid = transactions.start({ applicationId: "app", pushing: false, run: async () => allow }) ?? "";
    expect(await transactions.poll({ txid, applicationId: "other" })).toEqual({ kind: "unknown" });
    expect(transactions.start({ applicationId: "app", pushing: false, run: async () => allow })).toBeUndefined();
    transactions.stop();
  });
});
