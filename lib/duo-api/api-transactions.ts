import { randomUUID } from "node:crypto";
import type { TApiDecision } from "./api-decision-types";

export type TApiPoll = { kind: "unknown" } | { kind: "waiting"; pushing: boolean } | { kind: "settled"; decision: TApiDecision };

export type TApiTransactions = {
  // undefined: too many pending transactions (the caller answers 429).
  start: (options: { applicationId: string; pushing: boolean; run: () => Promise<TApiDecision> }) => string | undefined;
  poll: (options: { txid: string; applicationId: string }) => Promise<TApiPoll>;
  size: () => number;
  stop: () => void;
};

type TEntry = { applicationId: string; pushing: boolean; done: Promise<TApiDecision>; settled?: TApiDecision; settledAt?: number; waitingReplies: number };

export type TCreateApiTransactionsOptions = { maxPending?: number; keepMs?: number; firstWaitMs?: number; now?: () => number };

// async=1: the decision runs in the background under a random txid, and /status or /auth_status long-polls it. At most
// one "still waiting" answer per transaction, the first poll's; every later poll waits for the outcome (which always
// comes: the pipeline bounds its database calls and a push by its timeout). libduo (login_duo, pam_duo) polls 20 times
// and then treats a loop that never saw a result as success: it must never see 20 "waiting"s. A txid is answered only
// for the application that started it; transactions live in this worker only (keep a client on one worker).
export const createApiTransactions = (options: TCreateApiTransactionsOptions = {}): TApiTransactions => {
  const { maxPending = 10_000, keepMs = 300_000, firstWaitMs = 1000 } = options;
  const now = options.now ?? Date.now;
  const entries = new Map<string, TEntry>();
  const sweep = () => {
    const time = now();
    for (const [txid, entry] of entries) if (entry.settledAt !== undefined && time - entry.settledAt > keepMs) entries.delete(txid);
  };
  const timer = setInterval(sweep, Math.min(keepMs, 60_000));
  timer.unref();
  return {
    start: ({ applicationId, pushing, run }) => {
      if (entries.size >= maxPending) sweep();
      if (entries.size >= maxPending) return undefined;
      const txid = randomUUID();
      const entry: TEntry = { applicationId, pushing, waitingReplies: 0, done: run() };
      entry.done.then((decision) => {
        entry.settled = decision;
        entry.settledAt = now();
      });
      entries.set(txid, entry);
      return txid;
    },
    poll: async ({ txid, applicationId }) => {
      const entry = entries.get(txid);
      if (!entry || entry.applicationId !== applicationId) return { kind: "unknown" };
      if (entry.settled) return { kind: "settled", decision: entry.settled };
      if (entry.waitingReplies === 0) {
        let timeout: ReturnType<typeof setTimeout> | undefined;
        const first = await Promise.race([entry.done, new Promise<undefined>((resolve) => (timeout = setTimeout(() => resolve(undefined), firstWaitMs)))]);
        clearTimeout(timeout);
        if (first) return { kind: "settled", decision: first };
        if (entry.waitingReplies === 0) {
          entry.waitingReplies += 1;
          return { kind: "waiting", pushing: entry.pushing };
        }
      }
      return { kind: "settled", decision: await entry.done };
    },
    size: () => entries.size,
    stop: () => clearInterval(timer),
  };
};
