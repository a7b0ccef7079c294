import { hash } from "@node-rs/argon2";
import { createSocket } from "node:dgram";
import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { generateBypassCodes } from "../factors/generate-bypass-codes";
import type { TRadiusAttribute } from "../primary-auth/types";
import { vendorAttribute } from "../radius/attributes";
import { Attr, RadiusCode } from "../radius/constants";
import { decodeRequest } from "../radius/decode-request";
import { encodeResponse } from "../radius/encode-packet";
import { MICROSOFT_VENDOR, MsAttr } from "../radius/mschap/microsoft-attributes";
import { parsePacket } from "../radius/parse-packet";
import { encryptSecret } from "../secrets/envelope";
import { mschapV2Attributes } from "../testing/mschap-client";
import { startTestWorker } from "../testing/start-test-worker";
import { createUdpRadiusClient, textAttribute, type TUdpRadiusClient } from "../testing/udp-radius-client";
import { AUTH_REASONS, type TAuthReason } from "./reason-codes";
import { REASON_TEXT, replyMessageFor } from "./reason-messages";

// Every reason a NAS can cause, driven through a real worker: the logged reason and the Reply-Message the user got,
// asserted together. Each application is its own NAS (its own loopback source address). What RADIUS cannot reach
// here is listed in ELSEWHERE with where it is asserted; the last test fails for a reason in neither.
const SECRET = "reason-messages-secret";
const UPSTREAM_SECRET = "reason-upstream-secret";
const covered = new Set<TAuthReason>();

// Reasons this file does not drive, each with why and where its reason and Reply-Message are asserted.
const ELSEWHERE: Partial<Record<TAuthReason, string>> = {
  accepted: "not decided by this version (older rows); text checked in reason-messages.test.ts",
  failmode_safe: "database stopped: lib/second-factor/failmode-integration.test.ts",
  failmode_secure: "database stopped: lib/second-factor/failmode-integration.test.ts",
  error: "a failing database session: worker/failmode-reachable.test.ts",
  valid_push: "push with a test device: lib/push/push-radius.test.ts",
  push_denied: "push with a test device: lib/push/push-radius.test.ts",
  user_marked_fraud: "push with a test device: lib/push/push-radius.test.ts",
  no_response: "push with a test device: lib/push/push-radius.test.ts",
  push_rate_limited: "push with a test device: lib/push/push-radius.test.ts",
  push_pending: "two logins without Calling-Station-Id: lib/push/push-login-binding.test.ts",
  acl_download: "not a login, no Reply-Message: lib/acl-download/download-acl.test.ts",
  coa: "not a login, no Reply-Message: lib/coa/process-coa-datagram.test.ts",
  disconnect: "not a login, no Reply-Message: lib/coa/disconnect-session.test.ts",
};

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let upstream: Awaited<ReturnType<typeof startScriptedUpstream>>;
const nas: Record<"both" | "append" | "groups" | "deny" | "upstream", TUdpRadiusClient | undefined> = { both: undefined, append: undefined, groups: undefined, deny: undefined, upstream: undefined };
let permittedGroupId = "";

// An upstream RADIUS server (ISE/NPS's part) whose answer depends on the user name's first word.
const startScriptedUpstream = async () => {
  const socket = createSocket("udp4");
  const secret = Buffer.from(UPSTREAM_SECRET);
  socket.on("message", (message, rinfo) => {
    const parsed = parsePacket(message);
    if (!parsed.ok) return;
    const decoded = decodeRequest({ packet: parsed.packet, secret });
    if (!decoded.ok) return;
    const kind = decoded.request.userName?.split("-")[1] ?? "";
    const reply = (code: number, attributes: TRadiusAttribute[]) => {
      const { packet } = encodeResponse({ code, identifier: parsed.packet.identifier, requestAuthenticator: parsed.packet.authenticator, attributes, proxyStates: [], secret });
      socket.send(packet, rinfo.port, rinfo.address);
    };
    if (kind === "silent") return;
    if (kind === "said") return reply(RadiusCode.AccessReject, [textAttribute(Attr.ReplyMessage, "Your RSA PIN is wrong")]);
    if (kind === "plain") return reply(RadiusCode.AccessReject, []);
    if (kind === "asks") return reply(RadiusCode.AccessChallenge, [textAttribute(Attr.ReplyMessage, "Enter your RSA token code"), { type: Attr.State, value: randomBytes(8) }]);
    if (kind === "nostate") return reply(RadiusCode.AccessChallenge, [textAttribute(Attr.ReplyMessage, "no state")]);
    if (kind === "expired") return reply(RadiusCode.AccessReject, [vendorAttribute(MICROSOFT_VENDOR, MsAttr.ChapError, Buffer.from("\u0001E=648 R=1 C=00000000000000000000000000000000 V=3", "latin1"))]);
    return reply(RadiusCode.AccessAccept, []);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: socket.address().port, stop: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
};

const application = async (name: keyof typeof nas, address: string, options: Parameters<typeof seedApplication>[0], policy: Record<string, unknown> = {}) => {
  const app = await seedApplication(options);
  await db.prisma.policy.update({ where: { applicationId: app.id }, data: policy });
  await seedClient({ prisma: db.prisma, applicationId: app.id, address, secret: SECRET });
  nas[name] = await createUdpRadiusClient({ port: worker.authPort, secret: SECRET, localAddress: address });
  return app;
};

beforeAll(async () => {
  db = await createIsolatedDatabase();
  upstream = await startScriptedUpstream();
  worker = await startTestWorker({ databaseUrl: db.url, enrollmentBaseUrl: "https://mfa.example" });
  const { prisma } = db;
  await application("both", "127.0.0.21", { prisma, primaryAuthMode: "local", factorEntry: "both", newUserPolicy: "require_enrollment" }, { lockoutThreshold: 3 });
  await application("append", "127.0.0.22", { prisma, primaryAuthMode: "local", factorEntry: "append", newUserPolicy: "require_enrollment" });
  const groups = await application("groups", "127.0.0.23", { prisma, primaryAuthMode: "none", newUserPolicy: "allow_without_2fa" });
  const group = await prisma.group.create({ data: { name: `vpn-${randomBytes(3).toString("hex")}` } });
  permittedGroupId = group.id;
  await prisma.applicationGroup.create({ data: { applicationId: groups.id, groupId: group.id } });
  await application("deny", "127.0.0.24", { prisma, primaryAuthMode: "none", newUserPolicy: "deny" }, { authorizedNetworks: ["198.51.100.0/24"], authorizedNetworksInherit: false });
  const viaUpstream = await application("upstream", "127.0.0.26", { prisma, primaryAuthMode: "radius", newUserPolicy: "allow_without_2fa" });
  await seedUpstream({ prisma, applicationId: viaUpstream.id, port: upstream.port, secret: UPSTREAM_SECRET, position: 0, timeoutMs: 400 });
  // Every NAS is served (the snapshot has its client) before the first case.
  for (const client of Object.values(nas)) {
    await waitFor(async () => (await client?.exchange({ attributes: [textAttribute(Attr.UserName, "warmup")], password: "x", timeoutMs: 1000 })) ?? undefined, { timeoutMs: 10_000 });
  }
}, 60_000);

afterAll(async () => {
  for (const client of Object.values(nas)) await client?.close();
  await worker?.stop();
  await upstream?.stop();
  await db?.drop();
});

const seedUser = async (options: { password?: string; totp?: boolean; status?: "active" | "bypass" | "disabled" | "locked_out"; failedAttempts?: number } = {}) => {
  const username = `rm-${randomBytes(4).toString("hex")}`;
  const passwordHash = options.password ? await hash(options.password) : null;
  const user = await db.prisma.user.create({ data: { username, passwordHash, status: options.status ?? "active", failedAttempts: options.failedAttempts ?? 0 } });
  const secret = new Secret({ size: 20 });
  if (options.totp) await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "Pixel 8", secret: encryptSecret(secret.base32), active: true } });
  return { username, userId: user.id, code: () => TOTP.generate({ secret }) };
};

type TAsk = { via: keyof typeof nas; username?: string | Buffer; password?: string; state?: Buffer; callingStationId?: string; attributes?: TRadiusAttribute[] };
type TAnswer = { code: string; reply: string; state?: Buffer; attributes: TRadiusAttribute[]; tag: string };
const CODES: Record<number, string> = { [RadiusCode.AccessAccept]: "accept", [RadiusCode.AccessReject]: "reject", [RadiusCode.AccessChallenge]: "challenge" };

// One request; its event is found by a Calling-Station-Id of its own unless the case needs a real address there.
const ask = async (options: TAsk): Promise<TAnswer> => {
  const tag = options.callingStationId ?? `tag-${randomBytes(6).toString("hex")}`;
  const attributes = [
    ...(options.username === undefined ? [] : [textAttribute(Attr.UserName, options.username)]),
    textAttribute(Attr.CallingStationId, tag),
    ...(options.state ? [{ type: Attr.State, value: options.state }] : []),
    ...(options.attributes ?? []),
  ];
  const reply = await nas[options.via]?.exchange({ attributes, password: options.password, timeoutMs: 8000 });
  if (!reply) throw new Error("no reply from the worker");
  const text = reply.attributes.filter((a) => a.type === Attr.ReplyMessage).map((a) => a.value.toString("utf8")).join("");
  return { code: CODES[reply.code] ?? String(reply.code), reply: text, state: reply.attributes.find((a) => a.type === Attr.State)?.value, attributes: reply.attributes, tag };
};

// The logged reason and what the user read, together; an accept says nothing (AnyConnect would show a dialog).
const expectDecision = async (answer: TAnswer, expected: { code: "accept" | "reject" | "challenge"; reason: TAuthReason; reply?: string }) => {
  const event = await waitFor(() => db.prisma.authEvent.findFirst({ where: { callingStationId: answer.tag }, orderBy: { id: "desc" } }).then((row) => row ?? undefined), { timeoutMs: 8000 });
  expect({ code: answer.code, reason: event?.reason, reply: answer.reply }).toEqual({
    code: expected.code,
    reason: expected.reason,
    reply: expected.code === "accept" ? "" : (expected.reply ?? replyMessageFor({ reason: expected.reason })),
  });
  covered.add(expected.reason);
  return event;
};

describe("local password and the second factor (mode both)", () => {
  it("a wrong password, a name with a control byte, a request with no name", async () => {
    const user = await seedUser({ password: "right-pw", totp: true });
    await expectDecision(await ask({ via: "both", username: user.username, password: "wrong-pw" }), { code: "reject", reason: "primary_reject", reply: "Incorrect username or password." });
    await expectDecision(await ask({ via: "both", username: Buffer.from("bad\u0001name"), password: "x" }), { code: "reject", reason: "invalid_username", reply: "Your username contains characters that are not allowed." });
    await expectDecision(await ask({ via: "both", username: Buffer.from([0x61, 0xff, 0x62]), password: "x" }), { code: "reject", reason: "invalid_username" });
    await expectDecision(await ask({ via: "both", password: "x" }), { code: "reject", reason: "unknown_user", reply: "Your account is not set up for this service. Contact your helpdesk." });
  });

  it("challenge, answer, a reused State, an expired one", async () => {
    const user = await seedUser({ password: "pw", totp: true });
    const first = await ask({ via: "both", username: user.username, password: "pw" });
    await expectDecision(first, { code: "challenge", reason: "challenge_issued", reply: "Enter a passcode" });
    const code = user.code();
    await expectDecision(await ask({ via: "both", username: user.username, password: code, state: first.state }), { code: "accept", reason: "valid_passcode" });
    await expectDecision(await ask({ via: "both", username: user.username, password: code, state: first.state }), { code: "reject", reason: "challenge_invalid_state", reply: "The sign-in attempt is no longer valid. Please sign in again." });
    // The same code again, appended: used already, said so, and the menu offered again (mode both).
    const replayed = await ask({ via: "both", username: user.username, password: `pw,${code}` });
    await expectDecision(replayed, { code: "challenge", reason: "passcode_replayed", reply: "That passcode was already used. Wait for the next code and try again. Enter a passcode" });
    const later = await ask({ via: "both", username: user.username, password: "pw" });
    await db.prisma.$executeRawUnsafe(`UPDATE "ChallengeState" SET "expiresAt" = now() - interval '1 minute' WHERE id = $1`, later.state?.toString("hex"));
    await expectDecision(await ask({ via: "both", username: user.username, password: user.code(), state: later.state }), { code: "reject", reason: "challenge_expired", reply: "The sign-in attempt expired. Please sign in again." });
  });

  it("a wrong code earns another round with what happened; the one that locks says both", async () => {
    const user = await seedUser({ password: "pw", totp: true, failedAttempts: 1 });
    const wrong = user.code() === "000000" ? "000001" : "000000";
    const again = await ask({ via: "both", username: user.username, password: `pw,${wrong}` });
    await expectDecision(again, { code: "challenge", reason: "invalid_passcode", reply: "Incorrect passcode. Enter a passcode" });
    const nonsense = await ask({ via: "both", username: user.username, password: "hello", state: again.state });
    await expectDecision(nonsense, { code: "challenge", reason: "invalid_passcode", reply: "Incorrect passcode. Enter a passcode" });
    // An answer that is no code uses a round but claims no attempt: this wrong code is the third, the threshold.
    const locking = await ask({ via: "both", username: user.username, password: wrong, state: nonsense.state });
    await expectDecision(locking, { code: "reject", reason: "invalid_passcode", reply: "Incorrect passcode. Your account is locked after too many failed attempts. Contact your helpdesk." });
    await expectDecision(await ask({ via: "both", username: user.username, password: "pw" }), { code: "reject", reason: "locked_out", reply: "Your account is locked after too many failed attempts. Contact your helpdesk." });
  });

  it("a bypass code once, then told it is used up (not \"not allowed\")", async () => {
    const user = await seedUser({ password: "pw", totp: true });
    const { codes } = await generateBypassCodes({ prisma: db.prisma, userId: user.userId, createdBy: "test", input: {} });
    await expectDecision(await ask({ via: "both", username: user.username, password: `pw,${codes[0]}` }), { code: "accept", reason: "bypass_code" });
    const reused = await ask({ via: "both", username: user.username, password: `pw,${codes[0]}` });
    await expectDecision(reused, { code: "challenge", reason: "bypass_code_used", reply: "That bypass code was already used or has expired. Ask your helpdesk for a new one. Enter a passcode" });
  });

  it("disabled, bypass status, and protocols the local password cannot check", async () => {
    const disabled = await seedUser({ password: "pw", totp: true, status: "disabled" });
    await expectDecision(await ask({ via: "both", username: disabled.username, password: "pw" }), { code: "reject", reason: "user_disabled", reply: "Your account is disabled. Contact your helpdesk." });
    const bypass = await seedUser({ password: "pw", totp: true, status: "bypass" });
    await expectDecision(await ask({ via: "both", username: bypass.username, password: "pw" }), { code: "accept", reason: "bypass_user" });
    const mschap = mschapV2Attributes({ userName: bypass.username, password: "pw" });
    await expectDecision(await ask({ via: "both", username: bypass.username, attributes: mschap.attributes }), { code: "reject", reason: "mschap_unsupported" });
    const identity = Buffer.from(bypass.username);
    const eap = Buffer.concat([Buffer.from([2, 1, 0, 5 + identity.length, 1]), identity]);
    await expectDecision(await ask({ via: "both", username: bypass.username, attributes: [{ type: Attr.EapMessage, value: eap }] }), { code: "reject", reason: "eap_unsupported" });
  });
});

describe("append mode", () => {
  it("enrollment link, nothing appended, a factor the user does not have", async () => {
    const unenrolled = await seedUser({ password: "pw" });
    const enroll = await ask({ via: "append", username: unenrolled.username, password: "pw" });
    const url = enroll.reply.match(/https:\/\/mfa\.example\/\S+?(?=,)/)?.[0];
    expect(url).toBeTruthy();
    await expectDecision(enroll, { code: "reject", reason: "enrollment_required", reply: `Two-factor enrollment required: enroll a second factor at ${url}, then sign in again.` });
    const user = await seedUser({ password: "pw", totp: true });
    await expectDecision(await ask({ via: "append", username: user.username, password: "pw" }), { code: "reject", reason: "factor_required", reply: "A second factor is required: add a comma and your passcode to your password." });
    await expectDecision(await ask({ via: "append", username: user.username, password: "pw,push" }), { code: "reject", reason: "factor_not_allowed", reply: "That second factor is not allowed or not set up for your account." });
  });
});

describe("permitted groups (primary done by the NAS)", () => {
  it("not in Twofold is unknown, not \"not in a permitted group\"; a member not enrolled is let in by policy", async () => {
    await expectDecision(await ask({ via: "groups", username: `nobody-${randomBytes(3).toString("hex")}`, password: "x" }), { code: "reject", reason: "unknown_user" });
    const outsider = await seedUser();
    await expectDecision(await ask({ via: "groups", username: outsider.username, password: "x" }), { code: "reject", reason: "user_not_in_permitted_group", reply: "You are not permitted to use this service." });
    const member = await seedUser();
    await db.prisma.groupMember.create({ data: { groupId: permittedGroupId, userId: member.userId } });
    await expectDecision(await ask({ via: "groups", username: member.username, password: "x" }), { code: "accept", reason: "allow_unenrolled_user" });
  });
});

describe("new-user policy deny and an authorized network", () => {
  it("unenrolled is refused, except from the authorized network", async () => {
    const user = await seedUser();
    await expectDecision(await ask({ via: "deny", username: user.username, password: "x" }), { code: "reject", reason: "deny_unenrolled_user", reply: "You are not enrolled for two-factor authentication. Contact your helpdesk." });
    await expectDecision(await ask({ via: "deny", username: user.username, password: "x", callingStationId: `198.51.100.${1 + Math.floor(Math.random() * 250)}` }), { code: "accept", reason: "trusted_network" });
  });
});

describe("upstream RADIUS primary", () => {
  it("its reject text is relayed, ours when it has none; its challenge relayed; a broken or silent one said so", async () => {
    const name = (kind: string) => `up-${kind}-${randomBytes(3).toString("hex")}`;
    await expectDecision(await ask({ via: "upstream", username: name("said"), password: "pw" }), { code: "reject", reason: "primary_reject", reply: "Your RSA PIN is wrong" });
    await expectDecision(await ask({ via: "upstream", username: name("plain"), password: "pw" }), { code: "reject", reason: "primary_reject", reply: "Incorrect username or password." });
    await expectDecision(await ask({ via: "upstream", username: name("asks"), password: "pw" }), { code: "challenge", reason: "primary_challenge", reply: "Enter your RSA token code" });
    await expectDecision(await ask({ via: "upstream", username: name("nostate"), password: "pw" }), { code: "reject", reason: "upstream_error", reply: "The sign-in server failed. Try again later." });
    const expiredName = name("expired");
    const expired = await ask({ via: "upstream", username: expiredName, attributes: mschapV2Attributes({ userName: expiredName, password: "old" }).attributes });
    await expectDecision(expired, { code: "reject", reason: "password_expired", reply: "Your password has expired. Choose a new one." });
    expect(expired.attributes.some((a) => a.type === Attr.VendorSpecific)).toBe(true); // MS-CHAP-Error still relayed
    await expectDecision(await ask({ via: "upstream", username: name("silent"), password: "pw" }), { code: "reject", reason: "upstream_timeout", reply: "The sign-in server did not answer. Try again later." });
  });
});

describe("one login, many rounds", () => {
  it("every round of a relayed upstream challenge carries the login's one loginId", async () => {
    const username = `up-asks-${randomBytes(3).toString("hex")}`;
    const first = await ask({ via: "upstream", username, password: "pw" });
    const opened = await expectDecision(first, { code: "challenge", reason: "primary_challenge", reply: "Enter your RSA token code" });
    const again = await expectDecision(await ask({ via: "upstream", username, password: "123456", state: first.state }), { code: "challenge", reason: "primary_challenge", reply: "Enter your RSA token code" });
    expect(opened?.loginId).toMatch(/^[0-9a-f-]{36}$/);
    expect(again?.loginId).toBe(opened?.loginId);
  });
});

describe("coverage", () => {
  it("every reason code is driven here or listed with where it is asserted", () => {
    const missing = AUTH_REASONS.filter((reason) => !covered.has(reason) && !ELSEWHERE[reason]);
    expect(missing).toEqual([]);
    // What is listed as elsewhere must still have its texts (a new push reason without one fails here too).
    for (const reason of Object.keys(ELSEWHERE) as TAuthReason[]) expect(REASON_TEXT[reason].admin.length).toBeGreaterThan(0);
  });
});
