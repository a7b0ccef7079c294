import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { waitFor } from "../../worker/test-support/wait-for";
import { buildDuoClientConfigs } from "../applications/build-duo-client-configs";
import { listApiEndpoints } from "../applications/list-api-endpoints";
import { readApiCaCertificate } from "./load-api-ca";
import { runLoginDuo, type TLoginDuoOptions } from "../testing/login-duo";
import { startApiFixture, type TApiFixture } from "./api-test-fixture";

// Debian's login_duo (libduo 1.11.3: /rest/v1/*.bson, v1 signatures) against a worker's API, with failmode = safe:
// everything that must refuse has to refuse by the answer, not by the client's fail mode.
let fixture: TApiFixture;
beforeAll(async () => {
  fixture = await startApiFixture();
});
afterAll(async () => {
  await fixture?.stop();
});

const login = (options: Partial<TLoginDuoOptions> & { user: string }) =>
  runLoginDuo({ ikey: fixture.ikey, skey: fixture.skey, host: `localhost:${fixture.api.port}`, cafile: fixture.api.ca, remoteIp: "198.51.100.20", ...options });
const allowed = (result: { stdout: string }) => result.stdout.includes("TWOFOLD-LOGIN-OK");

describe("login_duo", () => {
  it("a passcode (DUO_PASSCODE) logs in; the event has the application, the factor and the login's address", async () => {
    const user = await fixture.seedUser({ totp: true });
    const result = await login({ user: user.username, passcode: user.code() });
    expect(allowed(result), result.stderr).toBe(true);
    expect(result.code).toBe(0);
    const [event] = (await fixture.events(user.username, 1)) ?? [];
    expect(event).toMatchObject({ result: "success", reason: "valid_passcode", applicationId: fixture.application.id, callingStationId: "198.51.100.20" });
  });

  it("host = 127.0.0.1:port verifies (libduo 1.x matches an address against the certificate's DNS names only)", async () => {
    const user = await fixture.seedUser({ totp: true });
    const result = await login({ user: user.username, passcode: user.code(), host: `127.0.0.1:${fixture.api.port}`, failmode: "secure" });
    expect(allowed(result), result.stdout).toBe(true);
    expect(result.stdout).toContain("Success. Logging you in...");
  });

  it("option 1 at the prompt: push, long-polled with status.bson until the phone approves", async () => {
    const user = await fixture.seedUser({ push: true });
    const pending = login({ user: user.username, stdin: "1\n" });
    expect(await user.decide("approve")).toEqual({ ok: true, status: "approved" });
    const result = await pending;
    expect(allowed(result), `${result.stdout}\n${result.stderr}`).toBe(true);
    expect(result.stdout).toContain("Success. Logging you in...");
    expect((await fixture.events(user.username, 1))?.map((row) => row.reason)).toEqual(["valid_push"]);
  });

  it("a push nobody answers is refused: libduo reads 20 status replies without a result as success, so it never gets them", async () => {
    const before = fixture.worker.configVersion();
    await fixture.db.prisma.policy.update({ where: { applicationId: fixture.application.id }, data: { pushTimeoutSec: 3 } });
    await waitFor(() => (fixture.worker.configVersion() > before ? true : undefined), { timeoutMs: 10_000 });
    try {
      const user = await fixture.seedUser({ push: true });
      const result = await login({ user: user.username, stdin: "1\n" });
      expect(allowed(result), result.stdout).toBe(false);
      expect((await fixture.events(user.username, 1))?.map((row) => row.reason)).toEqual(["no_response"]);
    } finally {
      await fixture.db.prisma.policy.update({ where: { applicationId: fixture.application.id }, data: { pushTimeoutSec: null } });
    }
  });

  it("a wrong passcode, a locked user and an unenrolled user are refused; the unenrolled one is shown the enrollment link", async () => {
    const user = await fixture.seedUser({ totp: true });
    const locked = await fixture.seedUser({ totp: true, status: "locked_out" });
    const wrong = await login({ user: user.username, passcode: "000000" });
    expect(allowed(wrong)).toBe(false);
    expect(allowed(await login({ user: locked.username, passcode: "123456" }))).toBe(false);
    const unenrolled = await login({ user: `new-${user.username}` });
    expect(allowed(unenrolled)).toBe(false);
    expect(`${unenrolled.stdout}${unenrolled.stderr}`).toMatch(/https:\/\/twofold\.test\/enroll\/[\w-]{22}/);
    expect((await fixture.events(user.username, 1))?.map((row) => row.reason)).toEqual(["invalid_passcode"]);
  });

  it("the console's login_duo.conf (endpoint from the heartbeat, CA from the download, the skey filled in) logs in", async () => {
    const endpoints = await waitFor(async () => {
      const found = await listApiEndpoints({ prisma: fixture.db.prisma, configured: "localhost, 127.0.0.1:8443, [2001:db8::5]:8443, 2001:db8::6" });
      return found.length > 0 ? found : undefined;
    }, { timeoutMs: 10_000 });
    // The card says which hosts the worker's generated certificate names (127.0.0.1 always; the others are not configured).
    expect(endpoints?.map(({ host, inCertificate }) => [host, inCertificate])).toEqual([["localhost", true], ["127.0.0.1", true], ["2001:db8::5", false], ["2001:db8::6", false]]);
    expect(endpoints?.[0]).toEqual({ workerId: fixture.worker.workerId, host: "localhost", port: fixture.api.port, inCertificate: true });
    const caFile = path.join(path.dirname(fixture.api.ca), "downloaded-ca.pem");
    writeFileSync(caFile, (await readApiCaCertificate({ prisma: fixture.db.prisma })) ?? "");
    const [loginDuo] = buildDuoClientConfigs({ kind: "auth_api", ikey: fixture.ikey, host: "localhost", port: fixture.api.port, caFile });
    const config = `${loginDuo?.text.replace("<secret key>", fixture.skey)}\naccept_env_factor = yes\n`;
    const user = await fixture.seedUser({ totp: true });
    expect(allowed(await login({ user: user.username, passcode: user.code(), config }))).toBe(true);
  });

  it("a wrong skey does not log in even with failmode = safe (answered 400, not the 401 libduo fails open on)", async () => {
    const user = await fixture.seedUser({ totp: true });
    const result = await login({ user: user.username, passcode: user.code(), skey: "x".repeat(40) });
    expect(allowed(result)).toBe(false);
    expect(result.stdout).toMatch(/Aborted Duo login/);
    expect(result.stdout).not.toMatch(/Failsafe/);
  });
});
