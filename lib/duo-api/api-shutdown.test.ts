import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { runDuoPython, type TDuoPythonCall } from "../testing/duo-python-client";
import { startApiFixture, type TApiFixture } from "./api-test-fixture";
import { SHUTTING_DOWN } from "./run-api-decision";

// A worker stopping while logins wait inside their requests (a push nobody has answered yet): Debian's
// python3-duo-client gets Duo's deny body, never a dropped connection (which libduo and the Duo proxy let a user in on
// under failmode=safe). This file stops its own worker.
let fixture: TApiFixture;
beforeAll(async () => {
  fixture = await startApiFixture({ drainMs: 0 });
});
afterAll(async () => {
  await fixture?.stop();
});

const call = (calls: TDuoPythonCall[]) => runDuoPython({ ikey: fixture.ikey, skey: fixture.skey, host: fixture.api.host, port: fixture.api.port, ca: fixture.api.ca, calls });

describe("stopping a worker with logins in flight", () => {
  it("a synchronous push on /auth/v2/auth and /rest/v1/auth is answered deny (HTTP 200, stat OK) and logged; an async one is settled deny", async () => {
    const [v2, v1, async] = [await fixture.seedUser({ push: true }), await fixture.seedUser({ push: true }), await fixture.seedUser({ push: true })];
    const v2Answer = call([{ method: "auth", args: ["push"], kwargs: { username: v2.username, device: "auto" } }]);
    const v1Answer = call([{ client: "auth_v1", method: "json_api_call", args: ["POST", "/rest/v1/auth", { user: v1.username, factor: "push", phone: "phone1" }] }]);
    const started = (await call([{ method: "auth", args: ["auto"], kwargs: { username: async.username, async_txn: true } }]))[0];
    const txid = started && "value" in started ? (started.value as { txid: string }).txid : "";
    await Promise.all([v2.pending(), v1.pending(), async.pending()]);
    await waitFor(() => (Number((fixture.worker.stats().api as { inFlight?: number } | undefined)?.inFlight) >= 2 ? true : undefined), { timeoutMs: 10_000 });

    await fixture.worker.stop();
    expect(await v2Answer).toEqual([{ ok: true, value: { result: "deny", status: "deny", status_msg: SHUTTING_DOWN } }]);
    expect(await v1Answer).toEqual([{ ok: true, value: { result: "deny", status: SHUTTING_DOWN } }]);
    const row = await fixture.db.prisma.apiTransaction.findUnique({ where: { id: txid } });
    expect(row?.settledAt).not.toBeNull();
    expect(row?.decision).toMatchObject({ result: "deny", reason: "error", statusMsg: SHUTTING_DOWN });
    for (const user of [v2, v1, async]) {
      expect((await fixture.events(user.username, 1))?.map((event) => [event.result, event.reason, event.applicationId])).toEqual([["error", "error", fixture.application.id]]);
    }
  });
});
