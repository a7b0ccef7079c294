import { randomUUID } from "node:crypto";
import type { TPrisma } from "../db";
import { notifyPush } from "../push/notify-push";
import type { TPushListener } from "../push/push-listener";
import { PUSH_DECIDED_CHANNEL } from "../push/push-schemas";
import type { TApiDecision } from "./api-decision-types";
import { ZApiDecisionSchema } from "./api-decision-schema";
import { withoutEnrollmentToken } from "./without-enrollment-token";

export type TApiPoll = { kind: "unknown" } | { kind: "waiting"; pushing: boolean } | { kind: "settled"; decision: TApiDecision };

export type TApiTransactions = {
  // undefined: too many pending transactions (the caller answers 429).
  start: (options: { applicationId: string; pushing: boolean; run: () => Promise<TApiDecision> }) => Promise<string | undefined>;
  poll: (options: { txid: string; applicationId: string }) => Promise<TApiPoll>;
  size: () => number;
  stop: () => void;
};

export type TCreateApiTransactionsOptions = {
  prisma: TPrisma;
  listener?: TPushListener; // wakes a poll on another worker when the decision is stored; without it, re-read every 500 ms
  maxPending?: number;
  keepMs?: number; // how long a transaction's row is kept (answerable)
  firstWaitMs?: number;
  deadlineMs?: number; // a transaction still pending this long after it started lost its worker (crash, stop)
  now?: () => number;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SWEEP_EVERY_MS = 60_000;
const LOST: TApiDecision = { result: "deny", reason: "error", statusMsg: "Login failed: the server handling it stopped. Please try again." };
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms));
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

// async=1: the decision runs in the background on the worker that got /auth, under a random txid that is a row in
// PostgreSQL, so /status or /auth_status may land on any worker (a load balancer, a client failing over). The running
// worker stores the decision and NOTIFYs; a poll elsewhere wakes on it (the push listener's connection). At most one
// "still waiting" answer per transaction across all workers, the first poll's (a conditional UPDATE); every later
// poll waits for the outcome, which always comes: the pipeline bounds its database calls and a push by its timeout,
// and a transaction whose worker died is settled as failed at the deadline. libduo (login_duo, pam_duo) polls 20
// times and then treats a loop that never saw a result as success: it must never see 20 "waiting"s. A txid is
// answered only for the application that started it. The row never holds an enrollment link's token (only its hash
// is stored anywhere): the worker that ran the login keeps that answer in memory while the row is answerable, so a
// poll reaching it gets the link; a poll reaching another worker is told to enroll and sign in again.
export const createApiTransactions = (options: TCreateApiTransactionsOptions): TApiTransactions => {
  const { prisma, listener, maxPending = 10_000, keepMs = 300_000, firstWaitMs = 1000, deadlineMs = 180_000 } = options;
  const now = options.now ?? Date.now;
  const running = new Map<string, Promise<TApiDecision>>();
  // Started while the database refused the row (an outage, under fail mode): answerable on this worker only.
  const memoryOnly = new Map<string, { applicationId: string; pushing: boolean; done: Promise<TApiDecision>; waited: boolean }>();
  // Decisions this worker ran whose row holds them without the enrollment token: the whole answer, for its own polls.
  const revealed = new Map<string, TApiDecision>();
  const reveal = <T extends TApiDecision | undefined>(txid: string, decision: T): TApiDecision | T => (decision && revealed.get(txid)) ?? decision;
  let nextSweepAt = 0;
  let stopped = false;
  // stop() wakes every wait at once: a poll in flight is answered before the worker closes its connections.
  const halt = new AbortController();

  const read = async (txid: string) => {
    const row = await prisma.apiTransaction.findUnique({ where: { id: txid }, select: { applicationId: true, pushing: true, decision: true, settledAt: true, createdAt: true } });
    if (!row) return undefined;
    const decision = row.settledAt ? ZApiDecisionSchema.safeParse(row.decision) : undefined;
    return { ...row, decision: decision?.success ? decision.data : undefined };
  };
  const settle = async (txid: string, decision: TApiDecision): Promise<boolean> => {
    const updated = await prisma.apiTransaction.updateMany({ where: { id: txid, settledAt: null }, data: { decision, settledAt: new Date(now()) } });
    if (updated.count > 0) await notifyPush({ prisma, channel: PUSH_DECIDED_CHANNEL, payload: txid });
    return updated.count > 0;
  };
  // The stored decision, once there is one, or undefined when `until` passes first.
  const waitStored = async (txid: string, until: number): Promise<TApiDecision | undefined> => {
    for (;;) {
      const wake = new AbortController();
      const next = listener && !listener.stopped() ? listener.nextEvent(txid, wake.signal) : sleep(500, AbortSignal.any([wake.signal, halt.signal]));
      const row = await read(txid);
      if (row?.decision) {
        wake.abort();
        return row.decision;
      }
      const left = until - now();
      if (left <= 0 || stopped) {
        wake.abort();
        return undefined;
      }
      await Promise.race([next, sleep(left, AbortSignal.any([wake.signal, halt.signal]))]);
      wake.abort();
    }
  };
  // This worker runs it: its own promise answers at once, even if the database refused the decision's row.
  const waitSettled = async (txid: string, until: number, local = running.get(txid)): Promise<TApiDecision | undefined> => {
    if (!local) return waitStored(txid, until);
    const timeout = new AbortController();
    const decided = await Promise.race([local, sleep(until - now(), AbortSignal.any([timeout.signal, halt.signal])).then(() => undefined)]);
    timeout.abort();
    return decided;
  };

  return {
    start: async ({ applicationId, pushing, run }) => {
      if (running.size + memoryOnly.size >= maxPending) return undefined;
      const txid = randomUUID();
      const at = now();
      if (at >= nextSweepAt) {
        nextSweepAt = at + SWEEP_EVERY_MS;
        void prisma.apiTransaction.deleteMany({ where: { expiresAt: { lt: new Date(at) } } }).catch(() => undefined);
      }
      const stored = await prisma.apiTransaction
        .create({ data: { id: txid, applicationId, pushing, createdAt: new Date(at), expiresAt: new Date(at + keepMs) } })
        .then(() => true, () => false);
      const done = run();
      if (!stored) {
        memoryOnly.set(txid, { applicationId, pushing, done, waited: false });
        setTimeout(() => memoryOnly.delete(txid), deadlineMs + keepMs).unref();
        return txid;
      }
      running.set(txid, done);
      void done
        .then((decision) => {
          const stored = withoutEnrollmentToken(decision);
          // Kept before the row settles, so a poll woken by its NOTIFY finds it; bounded like the pending ones.
          if (stored !== decision && revealed.size < maxPending) {
            revealed.set(txid, decision);
            setTimeout(() => revealed.delete(txid), keepMs).unref();
          }
          return settle(txid, stored);
        })
        .catch(() => undefined)
        .finally(() => running.delete(txid));
      return txid;
    },
    poll: async ({ txid, applicationId }) => {
      if (!UUID.test(txid)) return { kind: "unknown" };
      const own = memoryOnly.get(txid);
      if (own) {
        if (own.applicationId !== applicationId) return { kind: "unknown" };
        const first = own.waited ? undefined : await waitSettled(txid, now() + firstWaitMs, own.done);
        if (first) return { kind: "settled", decision: first };
        if (!own.waited) {
          own.waited = true;
          return { kind: "waiting", pushing: own.pushing };
        }
        return { kind: "settled", decision: await own.done };
      }
      const row = await read(txid);
      if (!row || row.applicationId !== applicationId) return { kind: "unknown" };
      if (row.decision) return { kind: "settled", decision: reveal(txid, row.decision) };
      const first = reveal(txid, await waitSettled(txid, now() + firstWaitMs));
      if (first) return { kind: "settled", decision: first };
      if (stopped) return { kind: "settled", decision: LOST }; // no "waiting" from a worker about to close the connection
      const claimed = await prisma.apiTransaction.updateMany({ where: { id: txid, settledAt: null, waitingReplies: 0 }, data: { waitingReplies: 1 } });
      if (claimed.count > 0) return { kind: "waiting", pushing: row.pushing };
      const deadline = row.createdAt.getTime() + deadlineMs;
      const decision = reveal(txid, await waitSettled(txid, deadline));
      if (decision) return { kind: "settled", decision };
      if (stopped) return { kind: "settled", decision: LOST }; // this worker is stopping: answer, but decide nothing
      // Nobody will settle it (its worker is gone): fail it, once, so every poller agrees.
      if (!(await settle(txid, LOST))) return { kind: "settled", decision: (await read(txid))?.decision ?? LOST };
      return { kind: "settled", decision: LOST };
    },
    size: () => running.size,
    stop: () => {
      stopped = true;
      halt.abort();
    },
  };
};
