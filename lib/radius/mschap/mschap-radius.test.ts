import { createSocket, type Socket } from "node:dgram";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../../worker/test-support/seed";
import { waitFor } from "../../../worker/test-support/wait-for";
import type { TRadiusAttribute } from "../../primary-auth/types";
import { decidePush } from "../../push/decide-push";
import { registerPushDevice } from "../../push/register-push-device";
import { createTestDevice } from "../../push/test-device";
import { encryptSecret } from "../../secrets/envelope";
import { startFreeRadius, type TFreeRadius } from "../../testing/freeradius";
import { microsoftValue, mschapV2Attributes, mschapV2ChangePasswordAttributes, type TMschapAttempt } from "../../testing/mschap-client";
import { radclient } from "../../testing/radclient";
import { startTestWorker } from "../../testing/start-test-worker";
import { Attr, RadiusCode } from "../constants";
import { createUpstreamTransport, type TUpstreamTransport } from "../upstream/create-upstream-transport";
import { MsAttr } from "./microsoft-attributes";
import { decryptMppeKey } from "./mppe-key-attribute";

// MS-CHAPv2 through Twofold (`mschapv2-capable` on the ASA): FreeRADIUS's rlm_mschap plays ISE, radclient or a socket
// NAS plays the ASA, whose MS-CHAPv2 is computed by lib/testing/mschap-client.ts (RFC 2759, checked in
// mschap-crypto.test.ts against the RFC's vectors and here against rlm_mschap).
const NAS_SECRET = "asa-mschap-secret";
const UP_SECRET = "ise-mschap-secret";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let ise: TFreeRadius;
let workerA: Awaited<ReturnType<typeof startTestWorker>>;
let workerB: Awaited<ReturnType<typeof startTestWorker>>;
let silent: { socket: Socket; port: number; received: () => number };
let nas: TUpstreamTransport;
let pinNas: TUpstreamTransport;
let applicationId = "";
const pushFetch: typeof fetch = async () => new Response(null, { status: 201 });

beforeAll(async () => {
  db = await createIsolatedDatabase();
  ise = await startFreeRadius({
    secret: UP_SECRET,
    mschap: { changes: { erin: "erin-new-pass", ed: "ed-new-pass" } },
    users: [
      { username: "alice", password: "alice-pass", reply: ['Class := "OU=Engineering;"', 'Cisco-AVPair += "shell:priv-lvl=1"'] },
      ...["pat", "tom", "lou"].map((username) => ({ username, password: `${username}-pass` })),
      ...["erin", "ed"].map((username) => ({ username, password: `${username}-old-pass`, check: [`Cleartext-Password := "${username}-old-pass"`, 'SMB-Account-CTRL-TEXT := "[Ue]"'] })),
    ],
  });
  // An upstream that never answers: first in the pinned application's order, so only a pin keeps a request off it.
  let count = 0;
  const socket = createSocket("udp4");
  socket.on("message", () => (count += 1));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  silent = { socket, port: socket.address().port, received: () => count };

  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius", factorEntry: "append", newUserPolicy: "allow_without_2fa" });
  applicationId = application.id;
  await db.prisma.policy.update({ where: { applicationId }, data: { lockoutThreshold: 2 } });
  await seedUpstream({ prisma: db.prisma, applicationId, port: ise.authPort, secret: UP_SECRET, position: 0, timeoutMs: 2000 });
  await seedClient({ prisma: db.prisma, applicationId, secret: NAS_SECRET });
  const pinned = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius", newUserPolicy: "allow_without_2fa" });
  await seedUpstream({ prisma: db.prisma, applicationId: pinned.id, port: silent.port, secret: UP_SECRET, position: 0, timeoutMs: 300 });
  await seedUpstream({ prisma: db.prisma, applicationId: pinned.id, port: ise.authPort, secret: UP_SECRET, position: 1, timeoutMs: 2000 });
  await seedClient({ prisma: db.prisma, applicationId: pinned.id, address: "127.0.0.2", secret: NAS_SECRET });
  const local = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local" });
  await seedClient({ prisma: db.prisma, applicationId: local.id, address: "127.0.0.3", secret: NAS_SECRET });
  [workerA, workerB] = await Promise.all([startTestWorker({ databaseUrl: db.url, pushFetch }), startTestWorker({ databaseUrl: db.url, pushFetch })]);
  nas = await createUpstreamTransport({ bindAddress: "127.0.0.1" });
  pinNas = await createUpstreamTransport({ bindAddress: "127.0.0.2" });
}, 60_000);

afterAll(async () => {
  await nas?.close();
  await pinNas?.close();
  await workerA?.stop();
  await workerB?.stop();
  await ise?.stop();
  await new Promise<void>((resolve) => (silent ? silent.socket.close(() => resolve()) : resolve()));
  await db?.drop();
});

type TAnswer = { code: number; attributes: TRadiusAttribute[]; authenticator: Buffer };

// One Access-Request as the ASA sends it, answered by the worker; `authenticator` is the request's, for the MPPE keys.
const send = async (options: { username: string; attempt: TMschapAttempt; state?: Buffer; port?: number; transport?: TUpstreamTransport }): Promise<TAnswer> => {
  let authenticator: Buffer = Buffer.alloc(16);
  const attributes = [{ type: Attr.UserName, value: Buffer.from(options.username) }, ...options.attempt.attributes, ...(options.state ? [{ type: Attr.State, value: options.state }] : [])];
  const result = await (options.transport ?? nas).exchange({
    target: { host: "127.0.0.1", port: options.port ?? workerA.authPort, secret: Buffer.from(NAS_SECRET) },
    code: RadiusCode.AccessRequest,
    attributes: (sent) => {
      authenticator = sent;
      return attributes;
    },
    timeoutMs: 20_000,
    retries: 0,
  });
  if (!result.ok) throw new Error(result.detail);
  return { code: result.packet.code, attributes: result.packet.attributes, authenticator };
};

const keysFor = (answer: TAnswer) => {
  const key = (type: number) => decryptMppeKey({ value: microsoftValue(answer.attributes, type) ?? Buffer.alloc(0), secret: Buffer.from(NAS_SECRET), authenticator: answer.authenticator });
  return { send: key(MsAttr.MppeSendKey), recv: key(MsAttr.MppeRecvKey) };
};
const success = (answer: TAnswer) => microsoftValue(answer.attributes, MsAttr.Chap2Success);
const state = (answer: TAnswer) => answer.attributes.find((attr) => attr.type === Attr.State)?.value;

const events = async (where: { usernameRaw?: string; applicationId?: string }, count: number) =>
  (await waitFor(async () => {
    const rows = await db.prisma.authEvent.findMany({ where, orderBy: { id: "asc" } });
    return rows.length >= count ? rows : undefined;
  }, { timeoutMs: 10_000 })) ?? [];

const seedTotpUser = async (username: string) => {
  const user = await db.prisma.user.create({ data: { username } });
  const secret = new Secret({ size: 20 });
  const authenticator = await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "App", secret: encryptSecret(secret.base32), active: true } });
  return { user, authenticator, code: (timestamp = Date.now()) => TOTP.generate({ secret, timestamp }) };
};

describe("MS-CHAPv2 relayed to the upstream", () => {
  it("relays challenge and response; the Accept carries the upstream's MS-CHAP2-Success and MPPE keys that radclient decrypts with the NAS secret", async () => {
    const attempt = mschapV2Attributes({ userName: "alice", password: "alice-pass" });
    const hex = (index: number) => `0x${attempt.attributes[index]!.value.subarray(6).toString("hex")}`;
    const reply = await radclient({ port: workerA.authPort, secret: NAS_SECRET, attributes: { "User-Name": "alice", "MS-CHAP-Challenge": hex(0), "MS-CHAP2-Response": hex(1) }, timeoutSec: 5 });
    expect(reply.code, reply.stdout).toBe("Access-Accept");
    const value = (name: string) => reply.attributes.find((attr) => attr.name === name)?.value;
    // radclient (FreeRADIUS's own RFC 2548 code) hides nothing from us: the keys are those rlm_mschap derived (RFC 3079).
    expect(value("MS-MPPE-Send-Key")).toBe(`0x${attempt.expectedKeys.sendKey.toString("hex")}`);
    expect(value("MS-MPPE-Recv-Key")).toBe(`0x${attempt.expectedKeys.recvKey.toString("hex")}`);
    expect(value("MS-CHAP2-Success")).toBe(`0x${Buffer.concat([Buffer.from([attempt.ident]), Buffer.from(attempt.expectedSuccess)]).toString("hex")}`);
    expect(value("Class")).toBe(`0x${Buffer.from("OU=Engineering;").toString("hex")}`);
    expect(value("Cisco-AVPair")).toBe("shell:priv-lvl=1");

    const wrong = await send({ username: "alice", attempt: mschapV2Attributes({ userName: "alice", password: "not-it" }) });
    expect(wrong.code).toBe(RadiusCode.AccessReject);
    expect(microsoftValue(wrong.attributes, MsAttr.ChapError)?.subarray(1).toString()).toMatch(/^E=691 R=1 /);
    const rows = await events({ usernameRaw: "alice" }, 2);
    expect(rows.map((row) => row.reason)).toEqual(["allow_unenrolled_user", "primary_reject"]);
  });

  it("refuses MS-CHAPv2 for an application whose primary is not upstream RADIUS, with its own reason", async () => {
    const local = await createUpstreamTransport({ bindAddress: "127.0.0.3" });
    try {
      const reply = await send({ username: "carl", attempt: mschapV2Attributes({ userName: "carl", password: "pw" }), transport: local });
      expect(reply.code).toBe(RadiusCode.AccessReject);
    } finally {
      await local.close();
    }
    const [row] = await events({ usernameRaw: "carl" }, 1);
    expect(row?.reason).toBe("mschap_unsupported");
    expect(JSON.stringify(row?.attributes)).toMatch(/upstream RADIUS/);
  });
});

describe("the second factor after the upstream's MS-CHAPv2 Accept", () => {
  it("nothing can be appended: a push to the first device, then the Accept with the upstream's MS-CHAP2-Success and keys", async () => {
    const user = await db.prisma.user.create({ data: { username: "pat" } });
    const device = await createTestDevice();
    const subscription = { endpoint: "https://push.example/pat", keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" } };
    const { deviceId } = await registerPushDevice({ prisma: db.prisma, userId: user.id, name: "Pixel", publicKeyJwk: device.publicKeyJwk, subscription });
    const attempt = mschapV2Attributes({ userName: "pat", password: "pat-pass" });
    const login = send({ username: "pat", attempt });
    const pending = await waitFor(async () => (await db.prisma.pushRequest.findFirst({ where: { userId: user.id, status: "pending" } })) ?? undefined, { timeoutMs: 10_000 });
    if (!pending) throw new Error("no push");
    const signature = await device.signDecision({ requestId: pending.id, decision: "approve", number: pending.verifyNumber });
    await decidePush({ prisma: db.prisma, requestId: pending.id, deviceId, decision: "approve", number: pending.verifyNumber, signature, now: new Date() });
    const reply = await login;
    expect(reply.code).toBe(RadiusCode.AccessAccept);
    expect(success(reply)?.subarray(1).toString()).toBe(attempt.expectedSuccess);
    const keys = keysFor(reply);
    expect(keys.send).toEqual({ ok: true, key: attempt.expectedKeys.sendKey });
    expect(keys.recv).toEqual({ ok: true, key: attempt.expectedKeys.recvKey });
    expect((await events({ usernameRaw: "pat" }, 1)).map((row) => row.reason)).toEqual(["valid_push"]);
  });

  it("no push device: an Access-Challenge, answered with an NT-Response over the TOTP code; the code's step is the one spent, and a replay is refused", async () => {
    const tom = await seedTotpUser("tom");
    const first = await send({ username: "tom", attempt: mschapV2Attributes({ userName: "tom", password: "tom-pass" }) });
    expect(first.code).toBe(RadiusCode.AccessChallenge);
    expect(first.attributes.find((attr) => attr.type === Attr.ReplyMessage)?.value.toString()).toMatch(/passcode/i);
    // The next step's code (inside the drift window, the last candidate tried): the step spent must be that one.
    const now = Date.now();
    const code = tom.code(now + 30_000);
    const answer = mschapV2Attributes({ userName: "tom", password: code });
    const reply = await send({ username: "tom", attempt: answer, state: state(first) });
    expect(reply.code).toBe(RadiusCode.AccessAccept);
    // Twofold's own success for the passcode round, as the NAS checks it: the S= over the code it hashed.
    expect(success(reply)?.[0]).toBe(answer.ident);
    expect(success(reply)?.subarray(1).toString()).toBe(answer.expectedSuccess);
    expect(keysFor(reply).send).toEqual({ ok: true, key: answer.expectedKeys.sendKey });
    const spent = await db.prisma.authenticator.findUniqueOrThrow({ where: { id: tom.authenticator.id } });
    expect(Number(spent.lastUsedStep)).toBe(Math.floor(now / 30_000) + 1);

    const again = await send({ username: "tom", attempt: mschapV2Attributes({ userName: "tom", password: "tom-pass" }) });
    const replayed = await send({ username: "tom", attempt: mschapV2Attributes({ userName: "tom", password: code }), state: state(again) });
    expect(replayed.code).not.toBe(RadiusCode.AccessAccept);
    expect((await events({ usernameRaw: "tom" }, 4)).map((row) => row.reason)).toEqual(["challenge_issued", "valid_passcode", "challenge_issued", "passcode_replayed"]);
  });

  it("an NT-Response over a wrong passcode is refused and counted: at the threshold the user is locked", async () => {
    const lou = await seedTotpUser("lou");
    const first = await send({ username: "lou", attempt: mschapV2Attributes({ userName: "lou", password: "lou-pass" }) });
    const wrong = (code: string) => (code === "000000" ? "111111" : "000000");
    const retry = await send({ username: "lou", attempt: mschapV2Attributes({ userName: "lou", password: wrong(lou.code()) }), state: state(first) });
    expect(retry.code).toBe(RadiusCode.AccessChallenge);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: lou.user.id } })).failedAttempts).toBe(1);
    const last = await send({ username: "lou", attempt: mschapV2Attributes({ userName: "lou", password: wrong(lou.code()) }), state: state(retry) });
    expect(last.code).toBe(RadiusCode.AccessReject);
    const after = await db.prisma.user.findUniqueOrThrow({ where: { id: lou.user.id } });
    expect([after.failedAttempts, after.status]).toEqual([2, "locked_out"]);
    // Locked: even the right code is refused now.
    const locked = await send({ username: "lou", attempt: mschapV2Attributes({ userName: "lou", password: "lou-pass" }) });
    expect(locked.code).toBe(RadiusCode.AccessReject);
    expect((await events({ usernameRaw: "lou" }, 4)).map((row) => row.reason)).toEqual(["challenge_issued", "invalid_passcode", "invalid_passcode", "locked_out"]);
  });
});

describe("password expiry and change", () => {
  it("E=648 goes back unchanged; the change, sent to another worker, reaches the same upstream; the second factor follows it", async () => {
    const erin = await seedTotpUser("erin");
    const attempt = mschapV2Attributes({ userName: "erin", password: "erin-old-pass" });
    const expired = await send({ username: "erin", attempt, transport: pinNas });
    expect(expired.code).toBe(RadiusCode.AccessReject);
    const error = microsoftValue(expired.attributes, MsAttr.ChapError);
    // rlm_mschap's own words, Ident first: nothing of it is Twofold's.
    expect(error?.[0]).toBe(attempt.ident);
    expect(error?.subarray(1).toString()).toMatch(/^E=648 R=0 C=[0-9a-f]{32} V=3 M=Password expired$/);
    const silentBefore = silent.received();
    expect(silentBefore).toBeGreaterThan(0); // the first server was tried and stayed silent: the answer came from the second

    // The ASA fails over to the other worker with the change: that worker has never seen the first server silent.
    const change = mschapV2ChangePasswordAttributes({ userName: "erin", oldPassword: "erin-old-pass", newPassword: "erin-new-pass" });
    const changed = await send({ username: "erin", attempt: change, transport: pinNas, port: workerB.authPort });
    expect(silent.received()).toBe(silentBefore);
    const encPw = change.attributes.filter((attr) => attr.vendorType === MsAttr.ChapNtEncPw).map((attr) => attr.value.subarray(6).toString("hex")).join("");
    expect(ise.passwordChanges()).toEqual([`erin ${encPw}`]);
    expect(changed.code).toBe(RadiusCode.AccessChallenge);
    const answer = mschapV2Attributes({ userName: "erin", password: erin.code() });
    const reply = await send({ username: "erin", attempt: answer, state: state(changed), transport: pinNas, port: workerB.authPort });
    expect(reply.code).toBe(RadiusCode.AccessAccept);
    expect(success(reply)?.subarray(1).toString()).toBe(answer.expectedSuccess);
    // Two workers' writers commit independently: the rows' order says nothing about the order of the rounds.
    expect((await events({ usernameRaw: "erin" }, 3)).map((row) => row.reason).sort()).toEqual(["challenge_issued", "password_expired", "valid_passcode"]);
  });

  it("a user without a second factor: the change's Accept carries the upstream's MS-CHAP2-Success and keys over the new password", async () => {
    const expired = await send({ username: "ed", attempt: mschapV2Attributes({ userName: "ed", password: "ed-old-pass" }) });
    expect(expired.code).toBe(RadiusCode.AccessReject);
    const change = mschapV2ChangePasswordAttributes({ userName: "ed", oldPassword: "ed-old-pass", newPassword: "ed-new-pass" });
    const changed = await send({ username: "ed", attempt: change });
    expect(changed.code).toBe(RadiusCode.AccessAccept);
    expect(success(changed)?.[0]).toBe(change.ident);
    expect(success(changed)?.subarray(1).toString()).toBe(change.expectedSuccess);
    expect(keysFor(changed).recv).toEqual({ ok: true, key: change.expectedKeys.recvKey });
    const rows = await events({ usernameRaw: "ed" }, 2);
    expect(rows.map((row) => [row.reason, JSON.stringify(row.attributes)])).toEqual([
      ["password_expired", expect.any(String)],
      ["allow_unenrolled_user", JSON.stringify({ detail: "password changed upstream" })],
    ]);
  });
});
