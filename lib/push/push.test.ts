import { createECDH, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import ece from "http_ece";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, disconnectPrisma, prisma } from "../db";
import { POLICY_DEFAULTS } from "../policy/policy-schemas";
import { cancelPendingPushes } from "./cancel-pending-pushes";
import { createOrAttachPushRequest } from "./create-or-attach-push-request";
import { createPushListener, type TPushListener } from "./push-listener";
import { decidePush } from "./decide-push";
import { registerPushDevice } from "./register-push-device";
import { sendPushNotifications } from "./send-push-notifications";
import { createTestDevice } from "./test-device";
import { getVapidKeys } from "./vapid-keys";
import { waitForPushDecision } from "./wait-for-push-decision";

let listener: TPushListener;
beforeAll(async () => {
  listener = await createPushListener({ databaseUrl: process.env.DATABASE_URL ?? "" });
});
afterAll(async () => {
  await listener?.stop();
  await disconnectPrisma();
});

const policy = { ...POLICY_DEFAULTS, pushTimeoutSec: 30 };

const seed = async () => {
  const user = await prisma.user.create({ data: { username: `push-${randomUUID()}` }, select: { id: true } });
  const application = await prisma.application.create({ data: { name: `push-app-${randomUUID()}`, ikey: randomBytes(10).toString("hex").slice(0, 20), skey: "x" }, select: { id: true, name: true } });
  const device = await createTestDevice();
  const { deviceId } = await registerPushDevice({ prisma, userId: user.id, name: "Pixel 8", publicKeyJwk: device.publicKeyJwk });
  // A login the NAS names (its Acct-Session-Id): the same login on every worker, another session another login.
  const login = { userId: user.id, applicationId: application.id, nasIp: "192.0.2.1", callingStationId: `198.51.100.${Math.floor(Math.random() * 250)}`, acctSessionId: randomUUID() };
  return { user, application, device, deviceId, login };
};

describe("push requests", () => {
  it("one pending request per session even when ten workers race; another Calling-Station-Id is another login", async () => {
    const { login } = await seed();
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 10 }, () => createOrAttachPushRequest({ prisma, login, policy, now })));
    expect(results.filter((r) => r.kind === "created")).toHaveLength(1);
    expect(new Set(results.map((r) => ("request" in r ? r.request.id : r.kind))).size).toBe(1);
    const other = await createOrAttachPushRequest({ prisma, login: { ...login, callingStationId: "203.0.113.9" }, policy, now });
    expect(other.kind).toBe("created");
    expect(await prisma.pushRequest.count({ where: { userId: login.userId } })).toBe(2);
  });

  it("the database refuses a second pending row for the same key (partial unique index)", async () => {
    const { login } = await seed();
    const data = { userId: login.userId, dedupeKey: `k-${randomUUID()}`, expiresAt: new Date(Date.now() + 60_000) };
    await prisma.pushRequest.create({ data });
    await expect(prisma.pushRequest.create({ data })).rejects.toThrow();
    await prisma.pushRequest.create({ data: { ...data, status: "approved" } });
  });

  it("rate limit per user per hour: created pushes count, attaching does not", async () => {
    const { login } = await seed();
    const limited = { ...policy, pushRateLimitPerHour: 2 };
    const now = new Date();
    expect((await createOrAttachPushRequest({ prisma, login: { ...login, callingStationId: "a" }, policy: limited, now })).kind).toBe("created");
    expect((await createOrAttachPushRequest({ prisma, login: { ...login, callingStationId: "a" }, policy: limited, now })).kind).toBe("attached");
    expect((await createOrAttachPushRequest({ prisma, login: { ...login, callingStationId: "b" }, policy: limited, now })).kind).toBe("created");
    expect((await createOrAttachPushRequest({ prisma, login: { ...login, callingStationId: "c" }, policy: limited, now })).kind).toBe("rate_limited");
  });

  it("rate limit counts only pushes nobody approved: approved and passcode-overtaken ones never use it up", async () => {
    const { login } = await seed();
    const limited = { ...policy, pushRateLimitPerHour: 2 };
    const expiresAt = new Date(Date.now() + 60_000);
    const rows = (status: string, count: number) => Array.from({ length: count }, (_, i) => ({ userId: login.userId, dedupeKey: `${status}-${i}-${randomUUID()}`, status, expiresAt }));
    await prisma.pushRequest.createMany({ data: [...rows("approved", 10), ...rows("cancelled", 5), ...rows("denied", 1)] });
    const now = new Date();
    expect((await createOrAttachPushRequest({ prisma, login: { ...login, callingStationId: "x" }, policy: limited, now })).kind).toBe("created");
    // One denied plus the pending one just created: the limit of 2 is reached.
    expect((await createOrAttachPushRequest({ prisma, login: { ...login, callingStationId: "y" }, policy: limited, now })).kind).toBe("rate_limited");
  });

  it("without a session id, another login is never attached: push pending; its own retransmit still is", async () => {
    const { login: seeded } = await seed();
    const now = new Date();
    const bare = { userId: seeded.userId, applicationId: seeded.applicationId, radiusClientId: randomUUID(), nasIp: "192.0.2.1" };
    const first = await createOrAttachPushRequest({ prisma, login: { ...bare, packetId: "7:aa" }, policy, now });
    expect(first.kind).toBe("created");
    const retransmit = await createOrAttachPushRequest({ prisma, login: { ...bare, packetId: "7:aa" }, policy, now });
    expect(retransmit.kind === "attached" && first.kind === "created" && retransmit.request.id === first.request.id).toBe(true);
    // Another packet (the attacker with the password), an empty Calling-Station-Id, or the Duo API without ipaddr.
    for (const other of [{ packetId: "8:bb" }, { packetId: "9:cc", callingStationId: " " }, {}]) {
      expect((await createOrAttachPushRequest({ prisma, login: { ...bare, ...other }, policy, now })).kind).toBe("other_login_pending");
    }
    // A login the NAS does tell apart gets its own push; so does one through another NAS.
    expect((await createOrAttachPushRequest({ prisma, login: { ...bare, packetId: "10:dd", auditSessionId: "c0a80001000a" }, policy, now })).kind).toBe("created");
    expect((await createOrAttachPushRequest({ prisma, login: { ...bare, nasIp: "192.0.2.2", packetId: "11:ee" }, policy, now })).kind).toBe("created");
    expect(await prisma.pushRequest.count({ where: { userId: seeded.userId } })).toBe(3);
  });

  it("an address alone is never a login: another packet from the same Calling-Station-Id (one NAT, one jump host) is refused push pending, as is every other Duo API call with that ipaddr", async () => {
    const { login: seeded } = await seed();
    const now = new Date();
    const nat = { userId: seeded.userId, applicationId: seeded.applicationId, radiusClientId: randomUUID(), nasIp: "192.0.2.1", callingStationId: "198.51.100.44" };
    const first = await createOrAttachPushRequest({ prisma, login: { ...nat, packetId: "7:aa" }, policy, now });
    expect(first.kind).toBe("created");
    const retransmit = await createOrAttachPushRequest({ prisma, login: { ...nat, packetId: "7:aa" }, policy, now });
    expect(retransmit.kind === "attached" && first.kind === "created" && retransmit.request.id === first.request.id).toBe(true);
    // The attacker with the password, behind the same NAT: another packet, the same address.
    expect((await createOrAttachPushRequest({ prisma, login: { ...nat, packetId: "8:bb" }, policy, now })).kind).toBe("other_login_pending");
    // The Duo API: no packet to repeat, only the ipaddr. Not even a second call from the same address attaches.
    const api = { userId: seeded.userId, applicationId: seeded.applicationId, radiusClientId: seeded.applicationId, nasIp: "192.0.2.9", callingStationId: "198.51.100.44" };
    expect((await createOrAttachPushRequest({ prisma, login: api, policy, now })).kind).toBe("created");
    expect((await createOrAttachPushRequest({ prisma, login: api, policy, now })).kind).toBe("other_login_pending");
    expect(await prisma.pushRequest.count({ where: { userId: seeded.userId } })).toBe(2);
  });

  it("the same Calling-Station-Id is another login when the session id, NAS-Port or RADIUS client differs", async () => {
    const { login } = await seed();
    const now = new Date();
    const asa = { ...login, radiusClientId: randomUUID(), nasPort: "12", auditSessionId: "0a0a0a0a00001000" };
    const first = await createOrAttachPushRequest({ prisma, login: { ...asa, packetId: "1:aa" }, policy, now });
    // The ASA failing the login over: a new packet, the same session.
    const failover = await createOrAttachPushRequest({ prisma, login: { ...asa, packetId: "2:bb" }, policy, now });
    expect(first.kind === "created" && failover.kind === "attached" && failover.request.id === first.request.id).toBe(true);
    for (const other of [{ auditSessionId: "0a0a0a0a00001001" }, { nasPort: "13" }, { radiusClientId: randomUUID() }]) {
      expect((await createOrAttachPushRequest({ prisma, login: { ...asa, ...other, packetId: "3:cc" }, policy, now })).kind).toBe("created");
    }
  });

  it("the rate limit is exact: a burst over two connection pools (two workers) creates at most the limit", async () => {
    const { login } = await seed();
    const limited = { ...policy, pushRateLimitPerHour: 3 };
    const other = createPrismaClient({ url: process.env.DATABASE_URL ?? "" });
    try {
      // Both pools' connections open first, so the burst really runs side by side.
      await Promise.all([prisma, other].flatMap((client) => Array.from({ length: 8 }, () => client.$executeRaw`SELECT pg_sleep(0.05)`)));
      const now = new Date();
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => createOrAttachPushRequest({ prisma: i % 2 ? other : prisma, login: { ...login, callingStationId: `203.0.113.${i}` }, policy: limited, now })),
      );
      expect(results.filter((r) => r.kind === "created")).toHaveLength(3);
      expect(results.filter((r) => r.kind === "rate_limited")).toHaveLength(21);
      expect(await prisma.pushRequest.count({ where: { userId: login.userId } })).toBe(3);
    } finally {
      await other.$disconnect();
    }
  });

  it("verified push gets a 2–3 digit number", async () => {
    const { login } = await seed();
    const result = await createOrAttachPushRequest({ prisma, login, policy: { ...policy, verifiedPush: true }, now: new Date() });
    expect(result.kind === "created" && result.request.verifyNumber).toMatch(/^\d{2,3}$/);
  });
});

describe("decisions", () => {
  it("a signed approval wakes the waiter (LISTEN), once only; a foreign device or a forged signature is refused", async () => {
    const { login, device, deviceId } = await seed();
    const created = await createOrAttachPushRequest({ prisma, login, policy, now: new Date() });
    if (created.kind !== "created") throw new Error(`unexpected ${created.kind}`);
    const requestId = created.request.id;
    const waiting = waitForPushDecision({ prisma, listener, requestId, expiresAt: created.request.expiresAt });
    const stranger = await seed();
    const strangerSig = await stranger.device.signDecision({ requestId, decision: "approve" });
    expect(await decidePush({ prisma, requestId, deviceId: stranger.deviceId, decision: "approve", signature: strangerSig, now: new Date() })).toEqual({ ok: false, reason: "not_found" });
    const forged = await stranger.device.signDecision({ requestId, decision: "approve" });
    expect(await decidePush({ prisma, requestId, deviceId, decision: "approve", signature: forged, now: new Date() })).toEqual({ ok: false, reason: "bad_signature" });
    // A signature over "deny" does not approve.
    const denySig = await device.signDecision({ requestId, decision: "deny" });
    expect(await decidePush({ prisma, requestId, deviceId, decision: "approve", signature: denySig, now: new Date() })).toEqual({ ok: false, reason: "bad_signature" });
    const signature = await device.signDecision({ requestId, decision: "approve" });
    expect(await decidePush({ prisma, requestId, deviceId, decision: "approve", signature, now: new Date() })).toEqual({ ok: true, status: "approved" });
    expect(await waiting).toBe("approved");
    expect(await decidePush({ prisma, requestId, deviceId, decision: "approve", signature, now: new Date() })).toEqual({ ok: false, reason: "already_decided" });
    expect((await prisma.authenticator.findUniqueOrThrow({ where: { id: deviceId } })).lastUsedAt).not.toBeNull();
    expect(listener.waiting()).toBe(0);
  });

  it("verified push: the signature must cover the number the request carries", async () => {
    const { login, device, deviceId } = await seed();
    const created = await createOrAttachPushRequest({ prisma, login, policy: { ...policy, verifiedPush: true }, now: new Date() });
    if (created.kind !== "created") throw new Error(`unexpected ${created.kind}`);
    const { id: requestId, verifyNumber } = created.request;
    const wrong = await device.signDecision({ requestId, decision: "approve", number: "1" });
    expect((await decidePush({ prisma, requestId, deviceId, decision: "approve", number: "1", signature: wrong, now: new Date() })).ok).toBe(false);
    const right = await device.signDecision({ requestId, decision: "approve", number: verifyNumber });
    expect(await decidePush({ prisma, requestId, deviceId, decision: "approve", number: verifyNumber, signature: right, now: new Date() })).toEqual({ ok: true, status: "approved" });
  });

  it("'this wasn't me' marks fraud and locks the user out", async () => {
    const { login, device, deviceId, user } = await seed();
    const created = await createOrAttachPushRequest({ prisma, login, policy, now: new Date() });
    if (created.kind !== "created") throw new Error(`unexpected ${created.kind}`);
    const requestId = created.request.id;
    const signature = await device.signDecision({ requestId, decision: "fraud" });
    expect(await decidePush({ prisma, requestId, deviceId, decision: "fraud", signature, now: new Date() })).toEqual({ ok: true, status: "fraud" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).status).toBe("locked_out");
  });

  it("nobody answers: timeout at the deadline, the row says so and the next login gets a new push", async () => {
    const { login } = await seed();
    const created = await createOrAttachPushRequest({ prisma, login, policy: { ...policy, pushTimeoutSec: 1 }, now: new Date() });
    if (created.kind !== "created") throw new Error(`unexpected ${created.kind}`);
    expect(await waitForPushDecision({ prisma, listener, requestId: created.request.id, expiresAt: created.request.expiresAt })).toBe("timeout");
    expect((await prisma.pushRequest.findUniqueOrThrow({ where: { id: created.request.id } })).status).toBe("timeout");
    expect((await createOrAttachPushRequest({ prisma, login, policy, now: new Date() })).kind).toBe("created");
  });

  it("a process shutting down stops its waits at once and leaves the row pending for another worker", async () => {
    const { login } = await seed();
    const created = await createOrAttachPushRequest({ prisma, login, policy, now: new Date() });
    if (created.kind !== "created") throw new Error(`unexpected ${created.kind}`);
    const own = await createPushListener({ databaseUrl: process.env.DATABASE_URL ?? "" });
    let onWait = () => undefined as void;
    const waitingStarted = new Promise<void>((resolve) => (onWait = resolve));
    const waiting = waitForPushDecision({ prisma, listener: own, requestId: created.request.id, expiresAt: created.request.expiresAt, onWaiting: () => onWait() });
    await waitingStarted;
    await own.stop();
    expect(await waiting).toBe("timeout");
    expect((await prisma.pushRequest.findUniqueOrThrow({ where: { id: created.request.id } })).status).toBe("pending");
  });

  it("the LISTEN connection killed by the server: the listener reconnects and the waiter still gets the decision", async () => {
    const { login, device, deviceId } = await seed();
    const created = await createOrAttachPushRequest({ prisma, login, policy, now: new Date() });
    if (created.kind !== "created") throw new Error(`unexpected ${created.kind}`);
    const requestId = created.request.id;
    const waiting = waitForPushDecision({ prisma, listener, requestId, expiresAt: created.request.expiresAt });
    const killed = await prisma.$queryRaw<{ ok: boolean }[]>`
      SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'LISTEN twofold_push_decided%' AND pid <> pg_backend_pid()`;
    expect(killed.length).toBeGreaterThan(0);
    // Decided while the listener is away: its NOTIFY is lost, the row is not; the reconnect wakes the waiter to re-read.
    const signature = await device.signDecision({ requestId, decision: "approve" });
    expect((await decidePush({ prisma, requestId, deviceId, decision: "approve", signature, now: new Date() })).ok).toBe(true);
    expect(await waiting).toBe("approved");
  });

  it("a passcode overtaking the push cancels it and wakes the waiter", async () => {
    const { login, user } = await seed();
    const created = await createOrAttachPushRequest({ prisma, login, policy, now: new Date() });
    if (created.kind !== "created") throw new Error(`unexpected ${created.kind}`);
    const waiting = waitForPushDecision({ prisma, listener, requestId: created.request.id, expiresAt: created.request.expiresAt });
    expect(await cancelPendingPushes({ prisma, userId: user.id, now: new Date() })).toBe(1);
    expect(await waiting).toBe("cancelled");
  });
});

describe("Web Push", () => {
  it("VAPID keys are made once and kept encrypted", async () => {
    const first = await getVapidKeys({ prisma, cacheKey: randomUUID() });
    const second = await getVapidKeys({ prisma, cacheKey: randomUUID() });
    expect(second).toEqual(first);
    const row = await prisma.setting.findUniqueOrThrow({ where: { key: "push.vapid" } });
    expect(row.value.startsWith("v1:")).toBe(true);
    expect(row.value).not.toContain(first.privateKey);
  });

  it("a loopback push service receives an RFC 8291 message that decrypts with the subscription's keys", async () => {
    const { user, device, application } = await seed();
    const received: { headers: IncomingMessage["headers"]; body: Buffer }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(201).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const receiver = createECDH("prime256v1");
      receiver.generateKeys();
      const auth = randomBytes(16);
      const { port } = server.address() as AddressInfo;
      const subscription = { endpoint: `http://127.0.0.1:${port}/push/abc`, keys: { p256dh: receiver.getPublicKey().toString("base64url"), auth: auth.toString("base64url") } };
      await registerPushDevice({ prisma, userId: user.id, name: "Phone 2", publicKeyJwk: device.publicKeyJwk, subscription });
      const notice = { requestId: randomUUID(), application: application.name, time: new Date().toISOString(), nasIp: "192.0.2.1", callingStationId: "198.51.100.7", verifyNumber: "42" };
      expect(await sendPushNotifications({ prisma, userId: user.id, notice, subject: "mailto:ops@example.com", ttlSec: 50 })).toEqual({ sent: 1, failed: 0 });
      expect(received).toHaveLength(1);
      const message = received[0]!;
      expect(message.headers["content-encoding"]).toBe("aes128gcm");
      expect(String(message.headers.authorization)).toMatch(/^vapid t=.+, k=.+/);
      const plaintext = ece.decrypt(message.body, { version: "aes128gcm", privateKey: receiver, authSecret: auth.toString("base64url") });
      expect(JSON.parse(plaintext.toString("utf8"))).toEqual(notice);
    } finally {
      server.close();
    }
  });
});

describe("authenticator enrollment and stream", () => {
  it("the one-time link + password registers the device key once; a signed fresh challenge opens the stream, a stale or foreign one does not", async () => {
    const { createEnrollmentLink } = await import("../enrollment/create-enrollment-link");
    const { enrollPushDevice } = await import("./enroll-push-device");
    const { authenticateDeviceStream } = await import("./authenticate-device-stream");
    const { streamChallengeMessage } = await import("./push-schemas");
    const user = await prisma.user.create({ data: { username: `push-enroll-${randomUUID()}` }, select: { id: true } });
    const link = await createEnrollmentLink({ prisma, userId: user.id, createdBy: "test" });
    const device = await createTestDevice();
    const verifyPassword = async ({ password }: { password: string }) => password === "right";
    const input = { password: "wrong", name: "Phone", publicKeyJwk: device.publicKeyJwk, subscription: null };
    await expect(enrollPushDevice({ prisma, token: link.token, input, verifyPassword })).rejects.toThrow("not correct");
    const { deviceId } = await enrollPushDevice({ prisma, token: link.token, input: { ...input, password: "right" }, verifyPassword });
    await expect(enrollPushDevice({ prisma, token: link.token, input: { ...input, password: "right" }, verifyPassword })).rejects.toThrow("already used");
    const row = await prisma.authenticator.findUniqueOrThrow({ where: { id: deviceId } });
    expect(row).toMatchObject({ kind: "push_device", active: true, userId: user.id });

    const now = new Date();
    const fresh = await device.sign(streamChallengeMessage({ deviceId, timestampMs: now.getTime() }));
    expect(await authenticateDeviceStream({ prisma, deviceId, timestampMs: now.getTime(), signature: fresh, now })).toEqual({ userId: user.id });
    const staleAt = now.getTime() - 600_000;
    const stale = await device.sign(streamChallengeMessage({ deviceId, timestampMs: staleAt }));
    expect(await authenticateDeviceStream({ prisma, deviceId, timestampMs: staleAt, signature: stale, now })).toBeNull();
    const other = await createTestDevice();
    const foreign = await other.sign(streamChallengeMessage({ deviceId, timestampMs: now.getTime() }));
    expect(await authenticateDeviceStream({ prisma, deviceId, timestampMs: now.getTime(), signature: foreign, now })).toBeNull();
  });
});
