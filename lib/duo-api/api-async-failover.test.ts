import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { hashToken } from "../crypto/tokens";
import { runDuoPython, type TDuoPythonCall } from "../testing/duo-python-client";
import { startTestWorker } from "../testing/start-test-worker";
import { startApiFixture, type TApiFixture } from "./api-test-fixture";

// Two workers serving the API over one database, as behind a load balancer: Debian's python3-duo-client starts an
// async auth on one and polls its status on the other. The txid is a row in PostgreSQL, not one worker's memory.
let fixture: TApiFixture;
let second: Awaited<ReturnType<typeof startTestWorker>>;
beforeAll(async () => {
  fixture = await startApiFixture();
  second = await startTestWorker({ databaseUrl: fixture.db.url, pushFetch: async () => new Response(null, { status: 201 }), api: { port: 0, host: "127.0.0.1" } });
}, 120_000);
afterAll(async () => {
  await second?.stop();
  await fixture?.stop();
});

// Both workers' certificates come from the one CA kept in the database: the first worker's CA file verifies either.
const on = (port: number, calls: TDuoPythonCall[]) => runDuoPython({ ikey: fixture.ikey, skey: fixture.skey, host: fixture.api.host, port, ca: fixture.api.ca, calls });
const value = (result: { ok: boolean; value?: unknown } | undefined) => {
  if (!result?.ok || !("value" in result)) throw new Error(`call failed: ${JSON.stringify(result)}`);
  return result.value;
};

describe("async auth across workers", () => {
  it("Auth API v2: auth async=1 on one worker, auth_status on the other: waiting once, then allow; an unknown txid is refused", async () => {
    const user = await fixture.seedUser({ push: true });
    const started = value((await on(fixture.api.port, [{ method: "auth", args: ["auto"], kwargs: { username: user.username, async_txn: true } }]))[0]);
    expect(started).toEqual({ txid: expect.any(String) });
    const txid = (started as { txid: string }).txid;
    const polls = on(second.api?.port ?? 0, [{ method: "auth_status", args: [txid] }, { method: "auth_status", args: [txid] }]);
    await user.pending();
    expect(await user.decide("approve")).toEqual({ ok: true, status: "approved" });
    const results = (await polls).map(value);
    expect(results.at(-1)).toMatchObject({ waiting: false, success: true, status: "allow" });
    expect(results.filter((result) => (result as { waiting: boolean }).waiting).length).toBeLessThanOrEqual(1);
    // Settled: the first worker answers the same from the row.
    expect(value((await on(fixture.api.port, [{ method: "auth_status", args: [txid] }]))[0])).toMatchObject({ waiting: false, success: true, status: "allow" });
    const unknown = (await on(second.api?.port ?? 0, [{ method: "auth_status", args: ["00000000-0000-4000-8000-000000000000"] }]))[0];
    expect(unknown).toMatchObject({ ok: false, status: 400 });
    expect((await fixture.events(user.username, 1))?.map((row) => row.reason)).toEqual(["valid_push"]);
  });

  it("Auth API v1: auth async=1 on one worker, status on the other, denied on the phone → deny", async () => {
    const user = await fixture.seedUser({ push: true });
    const txid = value((await on(second.api?.port ?? 0, [{ client: "auth_v1", method: "auth", args: [user.username], kwargs: { factor: "auto", auto: "push1", async_txn: true } }]))[0]);
    expect(txid).toEqual(expect.any(String));
    const polls = on(fixture.api.port, [{ client: "auth_v1", method: "status", args: [txid] }, { client: "auth_v1", method: "status", args: [txid] }]);
    await user.pending();
    expect(await user.decide("deny")).toEqual({ ok: true, status: "denied" });
    const results = (await polls).map(value);
    expect(results.at(-1)).toEqual([true, false, "Login request denied."]);
    expect((await fixture.events(user.username, 1))?.map((row) => row.reason)).toEqual(["push_denied"]);
  });

  it("an unenrolled user's async auth writes no enrollment token to its row: the worker that ran it answers with the link, the other without", async () => {
    const username = `async-new-${Date.now().toString(36)}`;
    const txid = (value((await on(fixture.api.port, [{ method: "auth", args: ["auto"], kwargs: { username, async_txn: true } }]))[0]) as { txid: string }).txid;
    const row = await waitFor(async () => (await fixture.db.prisma.apiTransaction.findFirst({ where: { id: txid, settledAt: { not: null } } })) ?? undefined, { timeoutMs: 10_000 });
    const link = await fixture.db.prisma.enrollmentLink.findFirstOrThrow({ where: { user: { username } } });
    const own = value((await on(fixture.api.port, [{ method: "auth_status", args: [txid] }]))[0]) as { status_msg: string; status: string; success: boolean };
    const token = /\/enroll\/([\w-]+)/.exec(own.status_msg)?.[1] ?? "";
    expect(own).toMatchObject({ success: false, status: "deny" });
    expect(hashToken(token)).toBe(link.tokenHash);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row?.decision).toEqual({ result: "deny", reason: "enrollment_required", statusMsg: "Two-factor enrollment required: enroll a second factor, then sign in again." });
    expect(value((await on(second.api?.port ?? 0, [{ method: "auth_status", args: [txid] }]))[0])).toMatchObject({ success: false, status: "deny", status_msg: "Two-factor enrollment required: enroll a second factor, then sign in again." });
  });
});
