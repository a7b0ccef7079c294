import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { encryptSecret } from "../secrets/envelope";
import { runDuoPython, type TDuoPythonCall } from "../testing/duo-python-client";
import { startApiFixture, type TApiFixture } from "./api-test-fixture";

// duo_client.Admin (Debian's python3-duo-client) reading Twofold's auth log and users with an admin_api application.
let fixture: TApiFixture;
const admin = { ikey: `DI${randomBytes(9).toString("hex").toUpperCase()}`, skey: randomBytes(20).toString("hex") };
let applicationId = "";

beforeAll(async () => {
  fixture = await startApiFixture();
  const before = fixture.worker.configVersion();
  const created = await fixture.db.prisma.application.create({ data: { name: `siem-${randomBytes(3).toString("hex")}`, kind: "admin_api", ikey: admin.ikey, skey: encryptSecret(admin.skey), primaryAuthMode: "none" } });
  applicationId = created.id;
  await waitFor(() => (fixture.worker.configVersion() > before ? true : undefined), { timeoutMs: 10_000 });
});
afterAll(async () => {
  await fixture?.stop();
});

const call = (calls: TDuoPythonCall[], keys = admin) => runDuoPython({ ...keys, host: fixture.api.host, port: fixture.api.port, ca: fixture.api.ca, calls: calls.map((entry) => ({ client: "admin", ...entry })) });
const value = (result: Awaited<ReturnType<typeof call>>[number] | undefined) => {
  if (!result?.ok || !("value" in result)) throw new Error(`call failed: ${JSON.stringify(result)}`);
  return result.value;
};

describe("Admin API with duo_client.Admin", () => {
  it("/admin/v2/logs/authentication pages by next_offset (keyset) in Duo's field names, without intermediate rounds", async () => {
    const user = await fixture.seedUser({ push: true });
    const base = Date.UTC(2026, 10, 30, 12, 0, 0);
    const row = (index: number, reason: string, result: "success" | "failure", factor: string | null) => ({
      eventId: randomUUID(), time: new Date(base + index * 1000), usernameRaw: user.username, username: user.username, userId: user.userId, applicationId: fixture.application.id, nasIp: "127.0.0.1", callingStationId: "198.51.100.30", factor, result, reason, workerId: "test",
    });
    await fixture.db.prisma.authEvent.createMany({
      data: [
        ...Array.from({ length: 24 }, (_, index) => row(index, "valid_push", "success", "push")),
        row(24, "invalid_passcode", "failure", "passcode"),
        row(25, "challenge_issued", "failure", null),
      ],
    });
    const window = { mintime: base, maxtime: base + 60_000 };
    const first = value((await call([{ method: "get_authentication_log", kwargs: { api_version: 2, ...window, limit: "10" } }]))[0]) as { authlogs: Record<string, unknown>[]; metadata: { next_offset?: string[] } };
    expect(first.authlogs).toHaveLength(10);
    expect(first.authlogs[0]).toMatchObject({
      event_type: "authentication",
      result: "denied",
      reason: "invalid_passcode",
      factor: "passcode",
      timestamp: Math.floor((base + 24_000) / 1000),
      user: { key: user.userId, name: user.username },
      application: { key: fixture.ikey, name: fixture.application.name },
      access_device: { ip: "198.51.100.30" },
    });
    expect(first.authlogs[1]).toMatchObject({ result: "success", reason: "user_approved", factor: "duo_push" });
    const seen = [...first.authlogs];
    let offset = first.metadata.next_offset;
    while (offset) {
      const page = value((await call([{ method: "get_authentication_log", kwargs: { api_version: 2, ...window, limit: "10", next_offset: offset.join(",") } }]))[0]) as typeof first;
      seen.push(...page.authlogs);
      offset = page.metadata.next_offset;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen.map((log) => log.txid)).size).toBe(25);
    expect(seen.map((log) => log.timestamp)).toEqual([...seen.map((log) => log.timestamp)].sort().reverse());
  });

  it("/admin/v1/users lists and finds users; an Auth API application's keys are refused here, and the admin keys there", async () => {
    const user = await fixture.seedUser({ totp: true, push: true });
    const [all, byName] = await call([{ method: "get_users" }, { method: "get_users_by_name", args: [user.username] }]);
    expect((value(all) as { username: string }[]).map((entry) => entry.username)).toContain(user.username);
    expect(value(byName)).toEqual([expect.objectContaining({ user_id: user.userId, username: user.username, status: "active", is_enrolled: true, phones: [expect.objectContaining({ name: "Pixel 8" })] })]);
    const [forbidden] = await call([{ method: "get_users" }], { ikey: fixture.ikey, skey: fixture.skey });
    expect(forbidden).toMatchObject({ ok: false, status: 403 });
    const [other] = await runDuoPython({ ...admin, host: fixture.api.host, port: fixture.api.port, ca: fixture.api.ca, calls: [{ method: "check" }] });
    expect(other).toMatchObject({ ok: false, status: 403 });
    const [wrong] = await call([{ method: "get_users" }], { ikey: admin.ikey, skey: "z".repeat(40) });
    expect(wrong).toMatchObject({ ok: false, status: 401, body: { code: 40103 } });
    expect(applicationId).not.toBe("");
  });
});
