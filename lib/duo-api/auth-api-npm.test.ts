import { randomBytes } from "node:crypto";
import https from "node:https";
import { readFileSync } from "node:fs";
import { Client, SIGNATURE_VERSION_2, SIGNATURE_VERSION_5 } from "@duosecurity/duo_api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { startApiFixture, type TApiFixture } from "./api-test-fixture";

// npm's @duosecurity/duo_api against a worker's API. The client pins Duo's public CAs and port 443 in its request
// options; Node lets an agent's options override a request's, so the global agent supplies Twofold's CA and port (the
// README shows the same for sites that point this client at Twofold). Signatures: v2 (HMAC-SHA512) and v5 (JSON body).
let fixture: TApiFixture;
const original = https.globalAgent;
beforeAll(async () => {
  fixture = await startApiFixture();
  https.globalAgent = new https.Agent({ ca: readFileSync(fixture.api.ca, "utf8"), port: fixture.api.port });
});
afterAll(async () => {
  https.globalAgent = original;
  await fixture?.stop();
});

const call = (method: string, path: string, params: Record<string, string>, options: { skey?: string; version?: 2 | 5 } = {}) =>
  new Promise<unknown>((resolve) => new Client(fixture.ikey, options.skey ?? fixture.skey, "localhost", options.version ?? SIGNATURE_VERSION_2).jsonApiCall(method, path, params, resolve));

describe("Auth API with @duosecurity/duo_api", () => {
  it("check, preauth and a passcode auth with v2 signatures; the same auth with v5 (JSON body)", async () => {
    const user = await fixture.seedUser({ totp: true });
    expect(await call("GET", "/auth/v2/check", {})).toEqual({ stat: "OK", response: { time: expect.any(Number) } });
    expect(await call("POST", "/auth/v2/preauth", { username: user.username })).toMatchObject({ stat: "OK", response: { result: "auth" } });
    expect(await call("POST", "/auth/v2/auth", { username: user.username, factor: "passcode", passcode: user.code(), ipaddr: "203.0.113.5" })).toEqual({
      stat: "OK",
      response: { result: "allow", status: "allow", status_msg: "Success. Logging you in..." },
    });
    expect(await call("GET", "/auth/v2/check", {}, { version: SIGNATURE_VERSION_5 })).toMatchObject({ stat: "OK" });
    const v5 = await call("POST", "/auth/v2/auth", { username: user.username, factor: "passcode", passcode: "999999" }, { version: SIGNATURE_VERSION_5 });
    expect(v5).toMatchObject({ stat: "OK", response: { result: "deny" } });
    expect((await fixture.events(user.username, 2))?.map((row) => `${row.reason}:${row.callingStationId ?? ""}`)).toEqual(["valid_passcode:203.0.113.5", "invalid_passcode:"]);
  });

  it("a wrong skey: Duo's error body, 40103", async () => {
    expect(await call("GET", "/auth/v2/check", {}, { skey: "y".repeat(40) })).toEqual({ stat: "FAIL", code: 40103, message: "Invalid signature in request credentials" });
  });

  it("permitted groups decide as over RADIUS: a name not in Twofold is unknown_user, told \"Unknown user.\"; a user outside the groups is not permitted", async () => {
    const { prisma } = fixture.db;
    const group = await prisma.group.create({ data: { name: `api-vpn-${randomBytes(3).toString("hex")}` } });
    await prisma.applicationGroup.create({ data: { applicationId: fixture.application.id, groupId: group.id } });
    try {
      const outsider = await fixture.seedUser({ totp: true });
      const member = await fixture.seedUser({ totp: true });
      await prisma.groupMember.create({ data: { groupId: group.id, userId: member.userId } });
      // Preauth decides nothing worth journaling until the worker's snapshot has the group; then it denies.
      const refused = await waitFor(async () => {
        const answer = (await call("POST", "/auth/v2/preauth", { username: outsider.username })) as { response?: { result?: string } };
        return answer.response?.result === "deny" ? answer : undefined;
      }, { timeoutMs: 10_000 });
      expect(refused).toEqual({ stat: "OK", response: { result: "deny", status_msg: "You are not permitted to use this service." } });
      const nobody = `nobody-${randomBytes(3).toString("hex")}`;
      expect(await call("POST", "/auth/v2/preauth", { username: nobody })).toEqual({ stat: "OK", response: { result: "deny", status_msg: "Unknown user." } });
      expect(await call("POST", "/auth/v2/preauth", { username: member.username })).toMatchObject({ stat: "OK", response: { result: "auth" } });
      expect((await fixture.events(outsider.username, 1))?.map((row) => `${row.result}:${row.reason}`)).toEqual(["failure:user_not_in_permitted_group"]);
      expect((await fixture.events(nobody, 1))?.map((row) => `${row.result}:${row.reason}`)).toEqual(["failure:unknown_user"]);
    } finally {
      await prisma.applicationGroup.deleteMany({ where: { groupId: group.id } });
      await prisma.group.delete({ where: { id: group.id } });
    }
  });
});
