import https from "node:https";
import { readFileSync } from "node:fs";
import { Client, SIGNATURE_VERSION_2, SIGNATURE_VERSION_5 } from "@duosecurity/duo_api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
});
