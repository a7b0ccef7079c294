import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { listPendingPushes } from "../push/list-pending-pushes";
import { encryptSecret } from "../secrets/envelope";
import { runDuoPython, type TDuoPythonCall } from "../testing/duo-python-client";
import { startApiFixture, type TApiFixture } from "./api-test-fixture";

// Debian's python3-duo-client against a worker's API: duo_client.Auth (Auth API v2, Date-signed), AuthV1 (/rest/v1).
let fixture: TApiFixture;
beforeAll(async () => {
  fixture = await startApiFixture();
});
afterAll(async () => {
  await fixture?.stop();
});

const call = (calls: TDuoPythonCall[], extra: { date?: string; skey?: string } = {}) =>
  runDuoPython({ ikey: fixture.ikey, skey: extra.skey ?? fixture.skey, host: fixture.api.host, port: fixture.api.port, ca: fixture.api.ca, date: extra.date, calls });
const one = async (entry: TDuoPythonCall, extra?: { date?: string; skey?: string }) => (await call([entry], extra))[0];
const value = (result: Awaited<ReturnType<typeof one>>) => {
  if (!result?.ok || !("value" in result)) throw new Error(`call failed: ${JSON.stringify(result)}`);
  return result.value;
};
const rejected = () => Number((fixture.worker.stats().api as { rejected?: Record<string, number> } | undefined)?.rejected?.bad_signature ?? 0);

describe("Auth API v2 with duo_client.Auth", () => {
  it("ping and check (the signature is right): v2 with SHA-1 and SHA-512, v4 (JSON body, SHA-512)", async () => {
    const user = await fixture.seedUser({ totp: true });
    const [ping, check, sha512, v4, v4Post] = await call([
      { method: "ping" },
      { method: "check" },
      { method: "check", sha512: true },
      { method: "check", sig_version: 4, sha512: true },
      { method: "preauth", kwargs: { username: user.username }, sig_version: 4, sha512: true },
    ]);
    expect(value(ping)).toEqual({ time: expect.any(Number) });
    for (const result of [check, sha512, v4]) expect(value(result)).toEqual({ time: expect.any(Number) });
    expect(value(v4Post)).toMatchObject({ result: "auth" });
  });

  it("preauth: an enrolled user may authenticate with their devices; an unenrolled one must enroll; a locked one is denied", async () => {
    const enrolled = await fixture.seedUser({ totp: true, push: true });
    const locked = await fixture.seedUser({ totp: true, status: "locked_out" });
    const unenrolled = `new-${enrolled.username}`;
    const [auth, enroll, deny] = await call([
      { method: "preauth", kwargs: { username: enrolled.username, ipaddr: "198.51.100.7" } },
      { method: "preauth", kwargs: { username: unenrolled } },
      { method: "preauth", kwargs: { username: locked.username } },
    ]);
    expect(value(auth)).toEqual({
      result: "auth",
      status_msg: "Account is active",
      devices: [
        { device: enrolled.deviceId, type: "phone", name: "Pixel 8", display_name: "Pixel 8", capabilities: ["auto", "push"] },
        { device: expect.any(String), type: "token", name: "App", display_name: "App", capabilities: [] },
      ],
    });
    expect(value(enroll)).toMatchObject({ result: "enroll", enroll_portal_url: expect.stringMatching(/^https:\/\/twofold\.test\/enroll\/[\w-]{22}$/) });
    expect(value(deny)).toMatchObject({ result: "deny" });
    expect((await fixture.events(unenrolled, 1))?.map((event) => [event.result, event.reason, event.applicationId])).toEqual([["failure", "enrollment_required", fixture.application.id]]);
    expect((await fixture.events(locked.username, 1))?.map((event) => [event.result, event.reason])).toEqual([["failure", "locked_out"]]);
  });

  it("enroll gives a one-time enrollment link for a new user; enroll_status follows it; an enrolled user is refused", async () => {
    const enrolled = await fixture.seedUser({ totp: true });
    const username = `new-${enrolled.username}`;
    const created = value(await one({ method: "enroll", kwargs: { username, valid_secs: 600 } })) as { activation_code: string; activation_url: string; user_id: string; username: string; valid_secs: number };
    expect(created).toMatchObject({ username, valid_secs: 600, activation_url: `https://twofold.test/enroll/${created.activation_code}` });
    const [waiting, wrongUser, again] = await call([
      { method: "enroll_status", args: [created.user_id, created.activation_code] },
      { method: "enroll_status", args: [enrolled.userId, created.activation_code] },
      { method: "enroll", kwargs: { username: enrolled.username } },
    ]);
    expect([value(waiting), value(wrongUser)]).toEqual(["waiting", "invalid"]);
    expect(again).toMatchObject({ ok: false, status: 400, body: { code: 40002, message_detail: "username already enrolled" } });
  });

  it("enroll is refused (403, Duo's error body, logged, no user created) where a login would be: new-user policy deny, disabled, locked, outside the permitted groups", async () => {
    const tag = randomBytes(4).toString("hex");
    const group = await fixture.db.prisma.group.create({ data: { name: `api-enroll-${tag}` } });
    const keys = (ikey: string) => ({ ikey, skey: fixture.skey });
    const denyApp = await fixture.db.prisma.application.create({ data: { name: `api-deny-${tag}`, kind: "auth_api", ikey: `DIDENY${tag.toUpperCase()}00000000`.slice(0, 20), skey: encryptSecret(fixture.skey), primaryAuthMode: "none", policy: { create: { newUserPolicy: "deny" } } } });
    const groupApp = await fixture.db.prisma.application.create({ data: { name: `api-group-${tag}`, kind: "auth_api", ikey: `DIGRP${tag.toUpperCase()}000000000`.slice(0, 20), skey: encryptSecret(fixture.skey), primaryAuthMode: "none", permittedGroups: { create: [{ groupId: group.id }] } } });
    const before = fixture.worker.configVersion();
    await waitFor(() => (fixture.worker.configVersion() > before ? true : undefined), { timeoutMs: 10_000 });
    const enroll = (ikey: string, username: string) =>
      runDuoPython({ ...keys(ikey), host: fixture.api.host, port: fixture.api.port, ca: fixture.api.ca, calls: [{ method: "enroll", kwargs: { username } }] }).then((results) => results[0]);
    const disabled = await fixture.seedUser({ status: "disabled" });
    const locked = await fixture.seedUser({ status: "locked_out" });
    const member = await fixture.seedUser();
    await fixture.db.prisma.groupMember.create({ data: { userId: member.userId, groupId: group.id } });
    const outsider = await fixture.seedUser();

    const refused = (reason: string) => ({ ok: false, status: 403, body: { stat: "FAIL", code: 40301, message_detail: `enrollment refused: ${reason}` } });
    expect(await enroll(denyApp.ikey, `new-deny-${tag}`)).toMatchObject(refused("deny_unenrolled_user"));
    expect(await enroll(fixture.ikey, disabled.username)).toMatchObject(refused("user_disabled"));
    expect(await enroll(fixture.ikey, locked.username)).toMatchObject(refused("locked_out"));
    expect(await enroll(groupApp.ikey, outsider.username)).toMatchObject(refused("user_not_in_permitted_group"));
    expect(await enroll(groupApp.ikey, `new-group-${tag}`)).toMatchObject(refused("unknown_user"));
    expect(await enroll(groupApp.ikey, member.username)).toMatchObject({ ok: true, value: { username: member.username, user_id: member.userId } });
    expect(await fixture.db.prisma.user.count({ where: { username: { in: [`new-deny-${tag}`, `new-group-${tag}`] } } })).toBe(0);
    expect(await fixture.db.prisma.enrollmentLink.count({ where: { userId: { in: [disabled.userId, locked.userId, outsider.userId] } } })).toBe(0);
    expect((await fixture.events(`new-deny-${tag}`, 1))?.map((row) => [row.result, row.reason, row.applicationId])).toEqual([["failure", "deny_unenrolled_user", denyApp.id]]);
    expect((await fixture.events(disabled.username, 1))?.map((row) => [row.reason, row.userId])).toEqual([["user_disabled", disabled.userId]]);
  });

  it("usernames are normalized as on RADIUS; one with an invisible format character is refused and logged escaped", async () => {
    const user = await fixture.seedUser({ totp: true });
    const fullwidth = [...user.username].map((char) => (/[a-z0-9]/.test(char) ? String.fromCodePoint((char.codePointAt(0) ?? 0) + 0xfee0) : char)).join("").toUpperCase();
    const [same, hidden] = await call([
      { method: "auth", args: ["passcode"], kwargs: { username: `  ${fullwidth}`, passcode: user.code() } },
      { method: "preauth", kwargs: { username: `${user.username}\u200b` } },
    ]);
    expect(value(same)).toMatchObject({ result: "allow" });
    expect(value(hidden)).toMatchObject({ result: "deny", status_msg: "Invalid username." });
    expect((await fixture.events(user.userId, 1))?.map((row) => [row.username, row.reason])).toEqual([[user.username, "valid_passcode"]]);
    const refused = await fixture.db.prisma.authEvent.findFirst({ where: { reason: "invalid_username", usernameRaw: { startsWith: user.username } } });
    expect(refused).toMatchObject({ result: "failure", applicationId: fixture.application.id });
  });

  it("auth by passcode: allow, logged valid_passcode with the application, the client's ipaddr and the calling server", async () => {
    const user = await fixture.seedUser({ totp: true });
    const [good] = await call([{ method: "auth", args: ["passcode"], kwargs: { username: user.username, passcode: user.code(), ipaddr: "198.51.100.9" } }]);
    expect(value(good)).toEqual({ result: "allow", status: "allow", status_msg: "Success. Logging you in..." });
    const [event] = (await fixture.events(user.username, 1)) ?? [];
    expect(event).toMatchObject({ result: "success", reason: "valid_passcode", applicationId: fixture.application.id, userId: user.userId, callingStationId: "198.51.100.9", nasIp: "127.0.0.1" });
    const [bad] = await call([{ method: "auth", args: ["passcode"], kwargs: { username: user.username, passcode: "000000" } }]);
    expect(value(bad)).toMatchObject({ result: "deny", status: "deny" });
    expect((await fixture.events(user.username, 2))?.map((row) => row.reason)).toEqual(["valid_passcode", "invalid_passcode"]);
  });

  it("auth by bypass code; the spent code is refused as used up (bypass_code_used, as on RADIUS)", async () => {
    const user = await fixture.seedUser({ totp: true, bypassCodes: true });
    const code = user.bypass[0] ?? "";
    const [first, again] = await call([
      { method: "auth", args: ["passcode"], kwargs: { username: user.username, passcode: code } },
      { method: "auth", args: ["passcode"], kwargs: { username: user.username, passcode: code } },
    ]);
    expect(value(first)).toMatchObject({ result: "allow" });
    expect(value(again)).toMatchObject({ result: "deny", status_msg: "That bypass code was already used or has expired. Ask your helpdesk for a new one." });
    expect((await fixture.events(user.username, 2))?.map((row) => `${row.result}:${row.reason}:${row.factor}`)).toEqual(["success:bypass_code:bypass_code", "failure:bypass_code_used:bypass_code"]);
  });

  it("auth by push, answered inside the request once the phone approves", async () => {
    const user = await fixture.seedUser({ push: true });
    const pending = one({ method: "auth", args: ["push"], kwargs: { username: user.username, device: "auto" } });
    expect(await user.decide("approve")).toEqual({ ok: true, status: "approved" });
    expect(value(await pending)).toEqual({ result: "allow", status: "allow", status_msg: "Success. Logging you in..." });
    expect((await fixture.events(user.username, 1))?.map((row) => `${row.reason}:${row.factor}`)).toEqual(["valid_push:push"]);
  });

  it("duo_unix 2.x's factor=prompt: the text_prompt menu's choice push1 pushes, a typed passcode is checked", async () => {
    const user = await fixture.seedUser({ push: true, totp: true });
    const auth = (prompt: string) => ({ method: "json_api_call", args: ["POST", "/auth/v2/auth", { username: user.username, factor: "prompt", prompt, async: "0", ipaddr: "198.51.100.30" }] });
    const [menu, passcode] = await call([{ method: "json_api_call", args: ["POST", "/auth/v2/preauth", { username: user.username, text_prompt: "1" }] }, auth(user.code())]);
    expect(value(menu)).toMatchObject({ result: "auth", prompt: { factors: { default: "push1", "1": "push1" } } });
    expect(value(passcode)).toEqual({ result: "allow", status: "allow", status_msg: "Success. Logging you in..." });
    const pushed = one(auth("push1"));
    expect(await user.decide("approve")).toEqual({ ok: true, status: "approved" });
    expect(value(await pushed)).toEqual({ result: "allow", status: "allow", status_msg: "Success. Logging you in..." });
    expect((await fixture.events(user.username, 2))?.map((row) => `${row.reason}:${row.factor}:${row.callingStationId}`)).toEqual(["valid_passcode:totp:198.51.100.30", "valid_push:push:198.51.100.30"]);
  });

  it("pushinfo (as libduo sends it) is stored with the push, decoded, without control characters, and shown to the authenticator", async () => {
    const user = await fixture.seedUser({ push: true });
    const pushinfo = `Server+IP=10.0.0.5&Command=${encodeURIComponent("sudo ls\u001b[31m -l\u202e")}&=nokey&long=${"x".repeat(400)}`;
    const pushed = one({ method: "auth", args: ["push"], kwargs: { username: user.username, device: "auto", pushinfo } });
    const request = await user.pending();
    const shown = [
      { key: "Server IP", value: "10.0.0.5" },
      { key: "Command", value: "sudo ls [31m -l" },
      { key: "long", value: `${"x".repeat(255)}…` },
    ];
    expect(request?.details).toEqual(shown);
    expect((await listPendingPushes({ prisma: fixture.db.prisma, userId: user.userId, now: new Date() }))[0]?.details).toEqual(shown);
    await user.decide("approve");
    expect(value(await pushed)).toMatchObject({ result: "allow" });
    // v1 (/rest/v1/auth, what libduo 1.x calls) carries it the same way.
    const v1 = call([{ client: "auth_v1", method: "json_api_call", args: ["POST", "/rest/v1/auth", { user: user.username, factor: "auto", auto: "push1", pushinfo: "Command=uptime" }] }]);
    expect((await user.pending())?.details).toEqual([{ key: "Command", value: "uptime" }]);
    await user.decide("approve");
    expect((await v1).map(value)).toEqual([{ result: "allow", status: "Success. Logging you in..." }]);
  });

  it("async auth (auto = push to the first device) with auth_status polling", async () => {
    const user = await fixture.seedUser({ push: true, totp: true });
    const started = value(await one({ method: "auth", args: ["auto"], kwargs: { username: user.username, async_txn: true } }));
    expect(started).toEqual({ txid: expect.any(String) });
    const txid = (started as { txid: string }).txid;
    const polls = call([{ method: "auth_status", args: [txid] }, { method: "auth_status", args: [txid] }]);
    await user.decide("approve");
    const results = (await polls).map(value);
    expect(results.at(-1)).toMatchObject({ waiting: false, success: true, status: "allow" });
    expect(results.filter((result) => (result as { waiting: boolean }).waiting).length).toBeLessThanOrEqual(1);
    expect((await fixture.events(user.username, 1))?.map((row) => row.reason)).toEqual(["valid_push"]);
  });

  it("a wrong skey is refused with Duo's 40103 body (HTTP 400, never 401: pam_duo fails open on 401) and counted", async () => {
    const before = rejected();
    const result = await one({ method: "check", skey: "0".repeat(40) });
    expect(result).toMatchObject({ ok: false, status: 400, error: "Received 400 Invalid signature in request credentials" });
    expect(rejected()).toBe(before + 1);
    expect(fixture.worker.logs.some((line) => /api dropped bad_signature from 127\.0\.0\.1: GET \/auth\/v2\/check ikey DI/.test(line))).toBe(true);
  });

  it("a tampered parameter and a stale Date are refused; an undated (v1) signature is not accepted on /auth/v2", async () => {
    const user = await fixture.seedUser({ totp: true });
    const tampered = await one({ method: "tampered", path: "/auth/v2/auth", signed: { username: user.username, factor: "passcode", passcode: "123456" }, sent: { username: user.username, factor: "passcode", passcode: "654321" } });
    expect(tampered).toMatchObject({ ok: false, status: 400, body: { stat: "FAIL", code: 40103 } });
    const stale = await one({ method: "check" }, { date: "Mon, 01 Dec 2025 10:00:00 -0000" });
    expect(stale).toMatchObject({ ok: false, status: 400, error: expect.stringContaining("Request date is invalid or too far") });
    const undated = await one({ method: "check", sig_version: 1 });
    expect(undated).toMatchObject({ ok: false, status: 400, body: { stat: "FAIL", code: 40103 } });
    expect(await fixture.db.prisma.authEvent.count({ where: { username: user.username } })).toBe(0);
  });
});

describe("Auth API v1 with duo_client.auth_v1", () => {
  it("ping, check, preauth, passcode auth, and async push with status polling", async () => {
    const user = await fixture.seedUser({ totp: true, push: true });
    const [ping, check, preauth, passcode] = await call([
      { client: "auth_v1", method: "ping" },
      { client: "auth_v1", method: "check", sig_version: 1 },
      { client: "auth_v1", method: "preauth", args: [user.username] },
      { client: "auth_v1", method: "auth", args: [user.username], kwargs: { factor: "passcode", passcode: user.code() } },
    ]);
    expect([value(ping), value(check)]).toEqual([true, true]);
    expect(value(preauth)).toEqual({ result: "auth", prompt: `Duo login for ${user.username}\n\nChoose or lose:\n\n  1. Duo Push to Pixel 8\n\nPasscode or option (1-1): `, factors: { default: "push1", "1": "push1" } });
    expect(value(passcode)).toBe(true);
    const txid = value(await one({ client: "auth_v1", method: "auth", args: [user.username], kwargs: { factor: "auto", auto: "push1", async_txn: true } }));
    expect(txid).toEqual(expect.any(String));
    const polls = call([{ client: "auth_v1", method: "status", args: [txid] }, { client: "auth_v1", method: "status", args: [txid] }]);
    await user.decide("approve");
    const results = (await polls).map(value);
    expect(results.at(-1)).toEqual([true, true, "Success. Logging you in..."]);
    expect((await fixture.events(user.username, 2))?.map((row) => row.reason)).toEqual(["valid_passcode", "valid_push"]);
  });
});
