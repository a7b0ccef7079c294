import { randomBytes } from "node:crypto";
import { Secret } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../../worker/test-support/seed";
import { waitFor } from "../../../worker/test-support/wait-for";
import { decidePush } from "../../push/decide-push";
import type { TPushDecision } from "../../push/push-schemas";
import { registerPushDevice } from "../../push/register-push-device";
import { createTestDevice } from "../../push/test-device";
import { encryptSecret } from "../../secrets/envelope";
import { eapolTest } from "../../testing/eapol-test";
import { startFreeRadius, type TFreeRadius } from "../../testing/freeradius";
import { radclient } from "../../testing/radclient";
import { startTestWorker } from "../../testing/start-test-worker";
import { Attr, RadiusCode } from "../constants";
import { createUpstreamTransport } from "../upstream/create-upstream-transport";

// 802.1X through Twofold: eapol_test plays the Wi-Fi controller and the laptop (PEAP / EAP-TTLS with MS-CHAPv2
// inside), FreeRADIUS's rlm_eap plays ISE terminating the TLS tunnel. Twofold relays every round, then pushes to the
// phone (a WebCrypto key pair signing real decisions) before it answers the final Accept with the MPPE keys hidden
// again for the controller's secret; eapol_test exits 0 only when they match the MSK its own tunnel derived.
const NAS_SECRET = "wlc-eap-secret";
const UP_SECRET = "ise-eap-secret";
const PUSH = "127.0.0.1"; // require enrollment; pass-through allow-list of Class only
const OPEN = "127.0.0.2"; // allow unenrolled users; Message-Authenticator not required by the client's settings
const LOCAL = "127.0.0.3"; // local-password primary: cannot terminate EAP
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let ise: TFreeRadius;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let pushApp = "";
const pushFetch: typeof fetch = async () => new Response(null, { status: 201 });
const INNER = ["alice", "bob", "carol", "dora", "erik", "vera"];

beforeAll(async () => {
  db = await createIsolatedDatabase();
  ise = await startFreeRadius({ secret: UP_SECRET, eap: true, users: INNER.map((username) => ({ username, password: `${username}-pass`, reply: [`Class := "OU=${username};"`] })) });
  const push = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius", factorEntry: "append", newUserPolicy: "require_enrollment", passThroughAll: false, passThroughAttrs: ["Class"] });
  pushApp = push.id;
  const open = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius", newUserPolicy: "allow_without_2fa" });
  for (const app of [push, open]) await seedUpstream({ prisma: db.prisma, applicationId: app.id, port: ise.authPort, secret: UP_SECRET, position: 0, timeoutMs: 5000 });
  await seedClient({ prisma: db.prisma, applicationId: push.id, address: PUSH, secret: NAS_SECRET });
  await seedClient({ prisma: db.prisma, applicationId: open.id, address: OPEN, secret: NAS_SECRET, requireMessageAuthenticator: false });
  const local = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local" });
  await seedClient({ prisma: db.prisma, applicationId: local.id, address: LOCAL, secret: NAS_SECRET });
  worker = await startTestWorker({ databaseUrl: db.url, pushFetch });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await ise?.stop();
  await db?.drop();
});

const seedPushUser = async (username: string) => {
  const user = await db.prisma.user.create({ data: { username } });
  const device = await createTestDevice();
  const subscription = { endpoint: `https://push.example/${randomBytes(4).toString("hex")}`, keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" } };
  const { deviceId } = await registerPushDevice({ prisma: db.prisma, userId: user.id, name: "Pixel 8", publicKeyJwk: device.publicKeyJwk, subscription });
  const decide = async (decision: TPushDecision) => {
    const request = await waitFor(async () => (await db.prisma.pushRequest.findFirst({ where: { userId: user.id, status: "pending" } })) ?? undefined, { timeoutMs: 30_000 });
    if (!request) throw new Error("no pending push");
    const signature = await device.signDecision({ requestId: request.id, decision, number: request.verifyNumber });
    return decidePush({ prisma: db.prisma, requestId: request.id, deviceId, decision, number: request.verifyNumber, signature, now: new Date() });
  };
  return { user, decide };
};

// The login's final event: the relayed rounds before it are `primary_challenge`.
const finalEvent = async (where: { usernameRaw: string }) =>
  waitFor(async () => (await db.prisma.authEvent.findFirst({ where: { usernameRaw: where.usernameRaw, reason: { not: "primary_challenge" } }, orderBy: { id: "desc" } })) ?? undefined, { timeoutMs: 10_000 });

const outer = () => `anon-${randomBytes(3).toString("hex")}`;

describe("EAP (802.1X) relayed to the upstream that terminates it, push after its Accept", () => {
  it("PEAP-MSCHAPv2: push approved → Access-Accept, MPPE keys match the MSK, EAP-Success kept past the allow-list; the account is the inner identity", async () => {
    const alice = await seedPushUser("alice");
    const anonymous = outer();
    const login = eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "PEAP", identity: "alice", anonymousIdentity: anonymous, password: "alice-pass" });
    expect(await alice.decide("approve")).toMatchObject({ ok: true });
    const result = await login;
    expect(result.output).toMatch(/MPPE keys OK: 1 +mismatch: 0/);
    expect(result.accepted).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain("Attribute 25 (Class)");
    const event = await finalEvent({ usernameRaw: anonymous });
    expect(event).toMatchObject({ result: "success", reason: "valid_push", userId: alice.user.id, username: "alice" });
    // Every TLS round went through one State store: one primary_challenge per round, all spent.
    expect(await db.prisma.authEvent.count({ where: { usernameRaw: anonymous, reason: "primary_challenge" } })).toBeGreaterThan(3);
  }, 90_000);

  it("EAP-TTLS with MS-CHAPv2 inside, too; the controller's retransmits while the phone waits are absorbed: one push", async () => {
    const dora = await seedPushUser("dora");
    const absorbed = Number(worker.stats().absorbed ?? 0);
    const login = eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "TTLS", identity: "dora", anonymousIdentity: outer(), password: "dora-pass" });
    await waitFor(async () => (await db.prisma.pushRequest.findFirst({ where: { userId: dora.user.id } })) ?? undefined, { timeoutMs: 30_000 });
    // eapol_test resends an unanswered request after 3 s: leave the push pending past that.
    await waitFor(() => (Number(worker.stats().absorbed ?? 0) > absorbed ? true : undefined), { timeoutMs: 20_000 });
    await dora.decide("approve");
    const result = await login;
    expect([result.exitCode, result.mppeMatched]).toEqual([0, true]);
    expect(await db.prisma.pushRequest.count({ where: { userId: dora.user.id } })).toBe(1);
  }, 90_000);

  it("push denied → Access-Reject with EAP-Failure (push_denied)", async () => {
    const bob = await seedPushUser("bob");
    const anonymous = outer();
    const login = eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "PEAP", identity: "bob", anonymousIdentity: anonymous, password: "bob-pass" });
    await bob.decide("deny");
    const result = await login;
    expect(result.accepted).toBe(false);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/code=3 \(Access-Reject\)[\s\S]*EAP-Message/);
    expect(result.output).toContain("EAP-Failure");
    expect(await finalEvent({ usernameRaw: anonymous })).toMatchObject({ result: "failure", reason: "push_denied", userId: bob.user.id });
  }, 90_000);

  it("an outer identity naming someone else: the push goes to the account the upstream authenticated", async () => {
    const erik = await seedPushUser("erik");
    const victim = await seedPushUser(`victim-${randomBytes(3).toString("hex")}`);
    const login = eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "PEAP", identity: "erik", anonymousIdentity: victim.user.username, password: "erik-pass" });
    await erik.decide("approve");
    expect((await login).exitCode).toBe(0);
    expect(await db.prisma.pushRequest.count({ where: { userId: victim.user.id } })).toBe(0);
  }, 90_000);

  it("wrong inner password → the upstream's reject, no push", async () => {
    const vera = await seedPushUser("vera");
    const anonymous = outer();
    const result = await eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "PEAP", identity: "vera", anonymousIdentity: anonymous, password: "not-veras" });
    expect(result.accepted).toBe(false);
    expect(result.exitCode).not.toBe(0);
    expect(await finalEvent({ usernameRaw: anonymous })).toMatchObject({ result: "failure", reason: "primary_reject" });
    expect(await db.prisma.pushRequest.count({ where: { userId: vera.user.id } })).toBe(0);
  }, 90_000);

  it("unenrolled user per policy: require enrollment → reject (nothing can carry the link); allow without 2FA → accept with keys", async () => {
    const anonymous = outer();
    const refused = await eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "PEAP", identity: "carol", anonymousIdentity: anonymous, password: "carol-pass" });
    expect(refused.accepted).toBe(false);
    expect(await finalEvent({ usernameRaw: anonymous })).toMatchObject({ result: "failure", reason: "enrollment_required", username: "carol" });
    const second = outer();
    const allowed = await eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "PEAP", identity: "carol", anonymousIdentity: second, password: "carol-pass", clientAddress: OPEN });
    expect([allowed.exitCode, allowed.mppeMatched]).toEqual([0, true]);
    expect(await finalEvent({ usernameRaw: second })).toMatchObject({ result: "success", reason: "allow_unenrolled_user" });
  }, 120_000);

  it("a passcode-only user cannot be asked for the code inside EAP: rejected factor_not_allowed, never accepted", async () => {
    const user = await db.prisma.user.upsert({ where: { username: "carol" }, create: { username: "carol" }, update: {} });
    await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "App", secret: encryptSecret(new Secret({ size: 20 }).base32), active: true } });
    const anonymous = outer();
    const result = await eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "PEAP", identity: "carol", anonymousIdentity: anonymous, password: "carol-pass" });
    expect(result.accepted).toBe(false);
    expect(await finalEvent({ usernameRaw: anonymous })).toMatchObject({ result: "failure", reason: "factor_not_allowed", userId: user.id });
  }, 90_000);

  it("verified push cannot be answered over EAP: refused before any push is sent", async () => {
    const before = worker.configVersion();
    await db.prisma.policy.update({ where: { applicationId: pushApp }, data: { verifiedPush: true } });
    await waitFor(() => (worker.configVersion() > before ? true : undefined), { timeoutMs: 5000 });
    try {
      const alice = await db.prisma.user.findUniqueOrThrow({ where: { username: "alice" } });
      const pushes = await db.prisma.pushRequest.count({ where: { userId: alice.id } });
      const anonymous = outer();
      const result = await eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "PEAP", identity: "alice", anonymousIdentity: anonymous, password: "alice-pass" });
      expect(result.accepted).toBe(false);
      expect(await finalEvent({ usernameRaw: anonymous })).toMatchObject({ reason: "factor_not_allowed", factor: "push" });
      expect(await db.prisma.pushRequest.count({ where: { userId: alice.id } })).toBe(pushes);
    } finally {
      const current = worker.configVersion();
      await db.prisma.policy.update({ where: { applicationId: pushApp }, data: { verifiedPush: null } });
      await waitFor(() => (worker.configVersion() > current ? true : undefined), { timeoutMs: 5000 });
    }
  }, 90_000);

  it("hostile EAP: no Message-Authenticator → dropped whatever the client's setting; bad framing or a local primary → eap_unsupported with EAP-Failure", async () => {
    const name = outer();
    const identity = Buffer.concat([Buffer.from([2, 7, 0, 5 + name.length, 1]), Buffer.from(name)]).toString("hex");
    const droppedBefore = Number((worker.stats().dropped as Record<string, number>).missing_message_authenticator ?? 0);
    const unsigned = await radclient({ host: "127.0.0.1", port: worker.authPort, secret: NAS_SECRET, attributes: { "User-Name": name, "EAP-Message": `0x${identity}` }, messageAuthenticator: false, timeoutSec: 1 });
    expect(unsigned.code).toBeUndefined();
    expect(Number((worker.stats().dropped as Record<string, number>).missing_message_authenticator ?? 0)).toBe(droppedBefore + 1);
    // Length field 0x00ff over 5 bytes; an EAP-Request (code 1) from a NAS; a Response with no type.
    for (const bad of ["0207 00ff 01", "0107 0005 01", "0207 0004"]) {
      const answer = await radclient({ port: worker.authPort, secret: NAS_SECRET, attributes: { "User-Name": name, "EAP-Message": `0x${bad.replace(/ /g, "")}` } });
      expect(answer.code).toBe("Access-Reject");
      expect(answer.attributes.find((attr) => attr.name === "EAP-Message")?.value).toMatch(/^0x04..0004$/);
    }
    // An EAP packet may come in several EAP-Message attributes, split anywhere: put together, relayed, and answered with
    // the upstream's own challenge (the start of PEAP) under a State of Twofold's.
    const split = Buffer.concat([Buffer.from([2, 9, 0, 5 + name.length, 1]), Buffer.from(name)]);
    const nas = await createUpstreamTransport({ bindAddress: "127.0.0.1" });
    try {
      const chunks = [split.subarray(0, 3), split.subarray(3, 7), split.subarray(7)].map((value) => ({ type: Attr.EapMessage, value }));
      const long = await nas.exchange({ target: { host: "127.0.0.1", port: worker.authPort, secret: Buffer.from(NAS_SECRET) }, code: RadiusCode.AccessRequest, attributes: () => [{ type: Attr.UserName, value: Buffer.from(name) }, ...chunks], timeoutMs: 10_000, retries: 0 });
      expect(long.ok && long.packet.code).toBe(RadiusCode.AccessChallenge);
      const state = long.ok ? long.packet.attributes.find((attr) => attr.type === Attr.State)?.value : undefined;
      expect(state?.subarray(0, 4).toString()).toBe("tfu1"); // Twofold's tag for a relayed upstream State
      expect(long.ok && long.packet.attributes.some((attr) => attr.type === Attr.EapMessage)).toBe(true);
    } finally {
      await nas.close();
    }
    const local = await eapolTest({ port: worker.authPort, secret: NAS_SECRET, method: "PEAP", identity: "alice", anonymousIdentity: name, password: "alice-pass", clientAddress: LOCAL, timeoutSec: 10 });
    expect(local.accepted).toBe(false);
    const events = await waitFor(async () => {
      const rows = await db.prisma.authEvent.findMany({ where: { usernameRaw: name, reason: "eap_unsupported" } });
      return rows.length >= 4 ? rows : undefined;
    }, { timeoutMs: 10_000 });
    expect(events?.length).toBe(4);
  }, 90_000);
});
