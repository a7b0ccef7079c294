import { hash } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { REASON_TEXT } from "../auth-log/reason-messages";
import { Attr, RadiusCode } from "../radius/constants";
import { createFakePushService } from "../testing/fake-push-service";
import { radclient } from "../testing/radclient";
import { openRetransmittingNas } from "../testing/retransmitting-nas";
import { sendAccessRequestReplies } from "../testing/send-access-requests";
import { startWorkerPair } from "../testing/start-worker-pair";
import { textAttribute } from "../testing/udp-radius-client";
import { decidePush } from "./decide-push";
import type { TPushDecision } from "./push-schemas";
import { registerPushDevice } from "./register-push-device";
import { createTestDevice } from "./test-device";

// One approval lets in one login. Two real workers on one database, radclient (or a socket of our own) as the NAS,
// the phone a WebCrypto key pair. A push is shared only by requests of the same login — a retransmit, or the ASA
// failing the same session over — never by another login that happens to come from the same NAS, or the same address.
let pair: Awaited<ReturnType<typeof startWorkerPair>> | undefined;
let db: Awaited<ReturnType<typeof startWorkerPair>>["db"];
let workerA: Awaited<ReturnType<typeof startWorkerPair>>["workerA"];
let workerB: Awaited<ReturnType<typeof startWorkerPair>>["workerB"];
const SECRET = "push-login-binding-secret";
let applicationId = "";
const { pushed, pushFetch } = createFakePushService();

beforeAll(async () => {
  pair = await startWorkerPair({ secret: SECRET, application: { primaryAuthMode: "local", factorEntry: "both", newUserPolicy: "deny" }, worker: { pushFetch } });
  ({ db, workerA, workerB, applicationId } = pair);
}, 120_000);

afterAll(async () => {
  await pair?.stop();
});

const seedUser = async () => {
  const username = `binding-${randomBytes(4).toString("hex")}`;
  const user = await db.prisma.user.create({ data: { username, passwordHash: await hash("pw") } });
  const device = await createTestDevice();
  const endpoint = `https://push.example/${username}`;
  const subscription = { endpoint, keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" } };
  const { deviceId } = await registerPushDevice({ prisma: db.prisma, userId: user.id, name: "Pixel 8", publicKeyJwk: device.publicKeyJwk, subscription });
  const pendings = (count: number) =>
    waitFor(async () => {
      const rows = await db.prisma.pushRequest.findMany({ where: { userId: user.id, status: "pending" }, orderBy: { createdAt: "asc" } });
      return rows.length >= count ? rows : undefined;
    }, { timeoutMs: 10_000 });
  const decide = async (requestId: string, decision: TPushDecision) => {
    const signature = await device.signDecision({ requestId, decision });
    return decidePush({ prisma: db.prisma, requestId, deviceId, decision, signature, now: new Date() });
  };
  return { username, userId: user.id, endpoint, pendings, decide };
};

// radclient retransmits the same packet every 4 s while the push is pending (the worker absorbs those).
const login = (options: { username: string; port: number; attributes?: Record<string, string> }) =>
  radclient({ port: options.port, secret: SECRET, attributes: { "User-Name": options.username, "User-Password": "pw,push", ...options.attributes }, timeoutSec: 4, retries: 6 });

const reasons = async (userId: string, count: number) =>
  (await waitFor(async () => {
    const rows = await db.prisma.authEvent.findMany({ where: { userId } });
    return rows.length >= count ? rows : undefined;
  }, { timeoutMs: 20_000 }))
    ?.map((row) => `${row.result}:${row.reason}`)
    .sort();

const receivedBy = async (worker: typeof workerA, before: number) => {
  await waitFor(() => (Number(worker.stats().received) > before ? true : undefined), { timeoutMs: 10_000 });
  // Give it the moment to reach the push step before the phone answers.
  await new Promise((resolve) => setTimeout(resolve, 1500));
};

const replyMessage = (result: Awaited<ReturnType<typeof radclient>>) =>
  result.attributes.filter((attribute) => attribute.name === "Reply-Message").map((attribute) => attribute.value).join("");

describe("one approval, one login", () => {
  // Without a session id the NAS's address is no login either: one NAT or jump host puts many users behind it.
  it.each<{ name: string; attributes: Record<string, string> }>([
    { name: "two logins without Calling-Station-Id", attributes: {} },
    { name: "two logins from one Calling-Station-Id without a session id (one NAT, one jump host)", attributes: { "Calling-Station-Id": "198.51.100.45" } },
  ])("$name: the second is refused push_pending, the approval lets in only the first", { timeout: 60_000 }, async ({ attributes }) => {
    const user = await seedUser();
    const victim = login({ username: user.username, port: workerA.authPort, attributes });
    const [pending] = (await user.pendings(1)) ?? [];
    if (!pending) throw new Error("no pending push");
    // The attacker holding the password, through the same NAS, while the victim's phone is buzzing.
    const refused = await login({ username: user.username, port: workerB.authPort, attributes });
    expect(refused.code).toBe("Access-Reject");
    expect(replyMessage(refused)).toBe(REASON_TEXT.push_pending.reply);
    expect(await user.decide(pending.id, "approve")).toEqual({ ok: true, status: "approved" });
    expect((await victim).code).toBe("Access-Accept");
    expect(await db.prisma.pushRequest.count({ where: { userId: user.userId } })).toBe(1);
    expect(pushed.filter((endpoint) => endpoint === user.endpoint)).toHaveLength(1);
    expect(await reasons(user.userId, 2)).toEqual(["failure:push_pending", "success:valid_push"]);
  });

  it("a retransmit of a login without Calling-Station-Id that reaches the second worker attaches: one push, both answered Accept", { timeout: 60_000 }, async () => {
    const user = await seedUser();
    const nas = await openRetransmittingNas({ secret: SECRET, identifier: 17, password: "pw,push", attributes: [textAttribute(Attr.UserName, user.username)] });
    const { replies, send } = nas;
    try {
      await send(workerA.authPort);
      const [pending] = (await user.pendings(1)) ?? [];
      if (!pending) throw new Error("no pending push");
      const before = Number(workerB.stats().received);
      await send(workerB.authPort);
      await receivedBy(workerB, before);
      expect(await user.decide(pending.id, "approve")).toEqual({ ok: true, status: "approved" });
      expect(await waitFor(() => (replies.size === 2 ? [...replies.values()] : undefined), { timeoutMs: 20_000 })).toEqual([RadiusCode.AccessAccept, RadiusCode.AccessAccept]);
      expect(await db.prisma.pushRequest.count({ where: { userId: user.userId } })).toBe(1);
      expect(pushed.filter((endpoint) => endpoint === user.endpoint)).toHaveLength(1);
    } finally {
      nas.close();
    }
  });

  it("the ASA failing a session over (a new packet, the same Calling-Station-Id and audit-session-id) attaches; another session from that address is its own push", { timeout: 60_000 }, async () => {
    const user = await seedUser();
    const session = { "Calling-Station-Id": "198.51.100.40", "Cisco-AVPair": "audit-session-id=c0a8010a0000a0005f3c1b2e" };
    const first = login({ username: user.username, port: workerA.authPort, attributes: session });
    const [pending] = (await user.pendings(1)) ?? [];
    if (!pending) throw new Error("no pending push");
    const before = Number(workerB.stats().received);
    const failover = login({ username: user.username, port: workerB.authPort, attributes: session });
    await receivedBy(workerB, before);
    // Same public address (a shared NAT), another AnyConnect session: the NAS tells it apart, so it is another login.
    const other = login({ username: user.username, port: workerB.authPort, attributes: { ...session, "Cisco-AVPair": "audit-session-id=c0a8010a0000a0015f3c1b2f" } });
    const second = (await user.pendings(2))?.find((row) => row.id !== pending.id);
    if (!second) throw new Error("the other session got no push of its own");
    expect(await user.decide(pending.id, "approve")).toEqual({ ok: true, status: "approved" });
    expect((await first).code).toBe("Access-Accept");
    expect((await failover).code).toBe("Access-Accept");
    expect(await user.decide(second.id, "deny")).toEqual({ ok: true, status: "denied" });
    expect((await other).code).toBe("Access-Reject");
    expect(await db.prisma.pushRequest.count({ where: { userId: user.userId } })).toBe(2);
    expect(await reasons(user.userId, 3)).toEqual(["failure:push_denied", "success:valid_push", "success:valid_push"]);
  });

  it("the rate limit is exact: 20 push logins at once over both workers, each another NAS session, send at most the limit", { timeout: 90_000 }, async () => {
    const LIMIT = 3;
    const before = [workerA.configVersion(), workerB.configVersion()];
    await db.prisma.policy.update({ where: { applicationId }, data: { pushRateLimitPerHour: LIMIT, pushTimeoutSec: 3 } });
    await waitFor(() => (workerA.configVersion() > (before[0] ?? 0) && workerB.configVersion() > (before[1] ?? 0) ? true : undefined), { timeoutMs: 5000 });
    try {
      const user = await seedUser();
      const replies = await sendAccessRequestReplies({
        secret: SECRET,
        timeoutMs: 30_000,
        requests: Array.from({ length: 20 }, (_, i) => ({ port: (i % 2 ? workerB : workerA).authPort, username: user.username, password: "pw,push", callingStationId: `203.0.113.${i + 1}`, acctSessionId: `burst-${i + 1}` })),
      });
      expect(replies.every((reply) => reply.code === RadiusCode.AccessReject)).toBe(true);
      expect(await db.prisma.pushRequest.count({ where: { userId: user.userId } })).toBe(LIMIT);
      expect(pushed.filter((endpoint) => endpoint === user.endpoint)).toHaveLength(LIMIT);
      const logged = (await reasons(user.userId, 20)) ?? [];
      expect(logged.filter((reason) => reason === "failure:push_rate_limited")).toHaveLength(20 - LIMIT);
      expect(logged.filter((reason) => reason === "failure:no_response")).toHaveLength(LIMIT);
    } finally {
      const restored = [workerA.configVersion(), workerB.configVersion()];
      await db.prisma.policy.update({ where: { applicationId }, data: { pushRateLimitPerHour: null, pushTimeoutSec: null } });
      await waitFor(() => (workerA.configVersion() > (restored[0] ?? 0) && workerB.configVersion() > (restored[1] ?? 0) ? true : undefined), { timeoutMs: 5000 });
    }
  });
});
