import { hash } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { summarizeAuthEvents } from "../auth-log/summarize-auth-events";
import { Attr, RadiusCode } from "../radius/constants";
import { openRetransmittingNas } from "../testing/retransmitting-nas";
import { startWorkerPair } from "../testing/start-worker-pair";
import { textAttribute } from "../testing/udp-radius-client";
import { decidePush } from "./decide-push";
import { registerPushDevice } from "./register-push-device";
import { createTestDevice } from "./test-device";

// An ASA failing over: the very same Access-Request (same source, Identifier and Request Authenticator) goes to one
// Twofold worker, then — while the push is pending — to the second. One push, one login, logged by both workers under
// the push's id, and the dashboard counts it once.
let pair: Awaited<ReturnType<typeof startWorkerPair>> | undefined;
let db: Awaited<ReturnType<typeof startWorkerPair>>["db"];
let workerA: Awaited<ReturnType<typeof startWorkerPair>>["workerA"];
let workerB: Awaited<ReturnType<typeof startWorkerPair>>["workerB"];
const SECRET = "push-failover-secret";
const pushFetch: typeof fetch = async () => new Response(null, { status: 201 });

beforeAll(async () => {
  // No warm-up: the test's NAS retransmits until a worker has loaded the client, as a real one does.
  pair = await startWorkerPair({ secret: SECRET, application: { primaryAuthMode: "local", factorEntry: "both" }, worker: { pushFetch }, waitUntilServing: false });
  ({ db, workerA, workerB } = pair);
}, 120_000);

afterAll(async () => {
  await pair?.stop();
});

describe("one id per login across workers", () => {
  it("a retransmit to each worker while the push is pending: one push request, both events carry its id, one login counted", { timeout: 120_000 }, async () => {
    const username = `failover-${randomBytes(4).toString("hex")}`;
    const user = await db.prisma.user.create({ data: { username, passwordHash: await hash("pw") } });
    const device = await createTestDevice();
    const { deviceId } = await registerPushDevice({ prisma: db.prisma, userId: user.id, name: "Phone", publicKeyJwk: device.publicKeyJwk });

    // One NAS socket: both workers see the same source address and port.
    const nas = await openRetransmittingNas({
      secret: SECRET,
      identifier: 42,
      password: "pw,push",
      attributes: [textAttribute(Attr.UserName, username), textAttribute(Attr.CallingStationId, "198.51.100.20")],
    });
    const { replies, send } = nas;
    const since = new Date(Date.now() - 60_000);
    const before = await summarizeAuthEvents({ prisma: db.prisma, since, bucket: "hour" });
    try {
      // The first datagram may reach a worker before it loaded the client: the NAS retransmits, as a real one does.
      const pending = await waitFor(async () => {
        await send(workerA.authPort);
        return (await db.prisma.pushRequest.findFirst({ where: { userId: user.id, status: "pending" } })) ?? undefined;
      }, { timeoutMs: 20_000, intervalMs: 1000 });
      if (!pending) throw new Error("no pending push");
      const receivedBefore = Number(workerB.stats().received);
      await send(workerB.authPort);
      await waitFor(() => (Number(workerB.stats().received) > receivedBefore ? true : undefined), { timeoutMs: 10_000 });
      // Let worker B attach to the pending push before the phone answers (its event's loginId proves it did).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const signature = await device.signDecision({ requestId: pending.id, decision: "deny" });
      expect(await decidePush({ prisma: db.prisma, requestId: pending.id, deviceId, decision: "deny", signature, now: new Date() })).toEqual({ ok: true, status: "denied" });
      const answered = await waitFor(() => (replies.size === 2 ? [...replies.values()] : undefined), { timeoutMs: 20_000 });
      expect(answered).toEqual([RadiusCode.AccessReject, RadiusCode.AccessReject]);

      expect(await db.prisma.pushRequest.count({ where: { userId: user.id } })).toBe(1);
      const events = await waitFor(async () => {
        const rows = await db.prisma.authEvent.findMany({ where: { userId: user.id } });
        return rows.length >= 2 ? rows : undefined;
      }, { timeoutMs: 10_000 });
      expect(events?.map((event) => `${event.reason}:${event.loginId}`)).toEqual([`push_denied:${pending.id}`, `push_denied:${pending.id}`]);
      expect(new Set(events?.map((event) => event.workerId)).size).toBe(2);

      const after = await summarizeAuthEvents({ prisma: db.prisma, since, bucket: "hour" });
      expect(after.rejected - before.rejected).toBe(1);
      expect(after.topFailingUsers.find((row) => row.username === username)?.count).toBe(1);
      const denied = (summary: typeof after) => summary.byReason.filter((row) => row.reason === "push_denied").reduce((sum, row) => sum + row.count, 0);
      expect(denied(after) - denied(before)).toBe(1);
    } finally {
      nas.close();
    }
  });
});
