import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { startApiFixture, type TApiFixture } from "../duo-api/api-test-fixture";
import { REASON_TEXT } from "../auth-log/reason-messages";
import { runDuoPython, type TDuoPythonCall } from "../testing/duo-python-client";

// The Duo-compatible API has no retransmit and no session id: every HTTP auth call is a login of its own. Its ipaddr
// (the Calling-Station-Id) is only an address, which two logins behind one NAT or jump host share, so a second auth
// while a push pends is refused, never attached to it, with or without one. Debian's python3-duo-client.
let fixture: TApiFixture;
beforeAll(async () => {
  fixture = await startApiFixture();
}, 120_000);
afterAll(async () => {
  await fixture?.stop();
});

const call = (calls: TDuoPythonCall[]) => runDuoPython({ ikey: fixture.ikey, skey: fixture.skey, host: fixture.api.host, port: fixture.api.port, ca: fixture.api.ca, calls });
const value = (result: Awaited<ReturnType<typeof call>>[number] | undefined) => {
  if (!result?.ok || !("value" in result)) throw new Error(`call failed: ${JSON.stringify(result)}`);
  return result.value as Record<string, unknown>;
};
const start = async (username: string, ipaddr?: string) =>
  String(value((await call([{ method: "auth", args: ["push"], kwargs: { username, device: "auto", async_txn: true, ...(ipaddr ? { ipaddr } : {}) } }]))[0]).txid);
const settled = (txid: string) =>
  waitFor(async () => {
    const status = value((await call([{ method: "auth_status", args: [txid] }]))[0]);
    return status.waiting ? undefined : status;
  }, { timeoutMs: 20_000, intervalMs: 300 });

describe("push logins through the Auth API", () => {
  it("no ipaddr: a second auth while the push pends is refused push_pending; the approval lets in only the first", async () => {
    const user = await fixture.seedUser({ push: true });
    const first = await start(user.username);
    await user.pending();
    const [second] = await call([{ method: "auth", args: ["push"], kwargs: { username: user.username, device: "auto" } }]);
    expect(value(second)).toMatchObject({ result: "deny", status_msg: REASON_TEXT.push_pending.reply });
    expect(await user.decide("approve")).toEqual({ ok: true, status: "approved" });
    expect(await settled(first)).toMatchObject({ success: true, status: "allow" });
    expect(await fixture.db.prisma.pushRequest.count({ where: { userId: user.userId } })).toBe(1);
  }, 60_000);

  it("the same ipaddr is not the same login: a second auth from it while the push pends is refused push_pending; the approval lets in only the first", async () => {
    const user = await fixture.seedUser({ push: true });
    const first = await start(user.username, "198.51.100.44");
    const pending = await user.pending();
    const [second] = await call([{ method: "auth", args: ["push"], kwargs: { username: user.username, device: "auto", ipaddr: "198.51.100.44" } }]);
    expect(value(second)).toMatchObject({ result: "deny", status_msg: REASON_TEXT.push_pending.reply });
    expect(await user.decide("approve")).toEqual({ ok: true, status: "approved" });
    expect(await settled(first)).toMatchObject({ success: true, status: "allow" });
    expect((await fixture.db.prisma.pushRequest.findMany({ where: { userId: user.userId } })).map((row) => row.id)).toEqual([pending?.id]);
  }, 60_000);
});
