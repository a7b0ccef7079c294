import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { roleHasPermission } from "../auth/permissions";
import { Attr, RadiusCode } from "../radius/constants";
import { startCoaNas } from "../testing/coa-nas";
import { startTestWorker } from "../testing/start-test-worker";
import { claimDisconnectRequests } from "./claim-disconnect-requests";
import { disconnectSession } from "./disconnect-session";
import { expireDisconnectRequests } from "./expire-disconnect-requests";
import { listLiveSessions } from "./list-live-sessions";

// The console's Disconnect, sent by a worker: two workers on a host with several addresses (loopback: one listens on
// 127.0.0.5, the other on 127.0.0.6), the NAS a socket of the test's own on 127.0.0.1 — the address an unbound socket,
// the console's before, would send from — that checks each request with its secret and records where it came from.
const NAS_SECRET = "console-disconnect-secret";
const HOSTS: Record<string, string> = { "dc-worker-5": "127.0.0.5", "dc-worker-6": "127.0.0.6" };
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let nas: Awaited<ReturnType<typeof startCoaNas>>;
let workers: Awaited<ReturnType<typeof startTestWorker>>[] = [];
let clientId: string;
let applicationId: string;
const actor = { adminId: undefined, email: "helpdesk@example.test" };

const session = (acctSessionId: string, extra: { stoppedAt?: Date } = {}) =>
  db.prisma.radiusSession.create({
    data: { radiusClientId: clientId, applicationId, nasAddress: "127.0.0.1", nasIp: "192.0.2.7", acctSessionId, username: "CORP\\Erin", userKey: "erin", framedIp: "10.8.0.44", auditSessionId: "0a0b0c", ...extra },
  });
const disconnect = (sessionId: string, bounds: { claimWithinMs?: number } = {}) => disconnectSession({ prisma: db.prisma, databaseUrl: db.url, actor, sessionId, ...bounds });
const sentFor = (acctSessionId: string) => nas.received.filter((request) => request.text(Attr.AcctSessionId) === acctSessionId);
const requestFor = (sessionId: string) => db.prisma.disconnectRequest.findFirstOrThrow({ where: { sessionId } });

beforeAll(async () => {
  db = await createIsolatedDatabase();
  nas = await startCoaNas({
    secret: NAS_SECRET,
    answer: (request) => {
      const id = request.text(Attr.AcctSessionId);
      if (id === "gone-at-nas") return { ack: false, errorCause: 503 };
      return id === "silent-nas" ? "silent" : { ack: true };
    },
  });
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius" });
  applicationId = application.id;
  const client = await seedClient({ prisma: db.prisma, applicationId, secret: NAS_SECRET });
  clientId = client.id;
  await db.prisma.radiusClient.update({ where: { id: clientId }, data: { coaPort: nas.port } });
  await db.prisma.user.create({ data: { username: "erin" } });
  workers = await Promise.all(Object.entries(HOSTS).map(([workerId, host]) => startTestWorker({ databaseUrl: db.url, host, workerId, coaNasTimeoutMs: 300 })));
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await nas?.stop();
  await db?.drop();
});

describe("the console's live sessions and Disconnect, sent by a worker", () => {
  it("helpdesk may disconnect; readonly may not", () => {
    expect(roleHasPermission("helpdesk", "users:disconnect")).toBe(true);
    expect(roleHasPermission("readonly", "users:disconnect")).toBe(false);
  });

  it("lists the user's live sessions and ends one at the NAS, sent once from a worker's address: audited, logged, closed", async () => {
    const live = await session("sess-live");
    await session("sess-old", { stoppedAt: new Date() });
    expect((await listLiveSessions({ prisma: db.prisma, username: "erin" })).map((row) => row.acctSessionId)).toEqual(["sess-live"]);
    expect(await disconnect(live.id)).toEqual({ acknowledged: true });
    const sent = sentFor("sess-live");
    expect(sent).toHaveLength(1);
    const row = await requestFor(live.id);
    expect(row).toMatchObject({ status: "acked", answer: "Disconnect-ACK", requestedBy: actor.email });
    // From the address the worker that claimed it listens on — the NAS's dynamic-authorization knows that one.
    expect([sent[0]?.code, sent[0]?.from]).toEqual([RadiusCode.DisconnectRequest, HOSTS[row.claimedBy ?? ""]]);
    expect([sent[0]?.text(Attr.UserName), sent[0]?.text(Attr.AcctSessionId)]).toEqual(["CORP\\Erin", "sess-live"]);
    expect(sent[0]?.attributes.find((attr) => attr.type === Attr.FramedIpAddress)?.value).toEqual(Buffer.from([10, 8, 0, 44]));
    expect(await listLiveSessions({ prisma: db.prisma, username: "erin" })).toEqual([]);
    const audit = await db.prisma.adminAuditEvent.findFirst({ where: { action: "session.disconnect", targetId: live.id } });
    expect(audit).toMatchObject({ actorEmail: actor.email, before: { acctSessionId: "sess-live", nas: `127.0.0.1:${nas.port}` }, after: { answer: "Disconnect-ACK" } });
    const event = await db.prisma.authEvent.findFirst({ where: { reason: "disconnect", username: "erin" }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ result: "success", radiusClientId: clientId, workerId: row.claimedBy, attributes: { by: actor.email, answer: "Disconnect-ACK" } });
    expect(event?.userId).not.toBeNull();
  });

  it("with two workers woken by the same NOTIFY, each request is sent exactly once", async () => {
    const ids = Array.from({ length: 8 }, (_, index) => `sess-many-${index}`);
    const rows = await Promise.all(ids.map((id) => session(id)));
    expect(await Promise.all(rows.map((row) => disconnect(row.id)))).toEqual(rows.map(() => ({ acknowledged: true })));
    for (const row of rows) {
      const sent = sentFor(row.acctSessionId);
      const request = await requestFor(row.id);
      expect([sent.length, sent[0]?.from]).toEqual([1, HOSTS[request.claimedBy ?? ""]]);
    }
    expect(await db.prisma.adminAuditEvent.count({ where: { action: "session.disconnect", targetId: { in: rows.map((row) => row.id) } } })).toBe(rows.length);
  });

  it("a double click puts one Disconnect-Request on the wire", async () => {
    const twice = await session("sess-double-click");
    const results = await Promise.allSettled([disconnect(twice.id), disconnect(twice.id)]);
    expect(results.filter((result) => result.status === "fulfilled").map((result) => result.value)).toEqual([{ acknowledged: true }]);
    expect(results.find((result) => result.status === "rejected")?.reason).toMatchObject({ message: expect.stringMatching(/already under way|already ended/) });
    expect(sentFor("sess-double-click")).toHaveLength(1);
  });

  it("reports the NAS's refusal, keeps the session, and audits it too", async () => {
    const lost = await session("gone-at-nas");
    expect(await disconnect(lost.id)).toEqual({ acknowledged: false, errorCause: 503 });
    expect((await db.prisma.radiusSession.findUnique({ where: { id: lost.id } }))?.stoppedAt).toBeNull();
    expect(await requestFor(lost.id)).toMatchObject({ status: "nak", errorCause: 503 });
    expect(await db.prisma.adminAuditEvent.count({ where: { action: "session.disconnect", targetId: lost.id } })).toBe(1);
    await expect(disconnect("00000000-0000-0000-0000-000000000000")).rejects.toThrow(/already ended/);
  });

  it("a silent NAS: the caller is told, the auth log says error, the session stays", async () => {
    const silent = await session("silent-nas");
    await expect(disconnect(silent.id)).rejects.toThrow(/did not answer the Disconnect-Request/);
    expect(await requestFor(silent.id)).toMatchObject({ status: "no_answer", answer: "no answer" });
    expect(await db.prisma.authEvent.findFirst({ where: { reason: "disconnect", attributes: { path: ["acctSessionId"], equals: "silent-nas" } } })).toMatchObject({ result: "error" });
    expect((await db.prisma.radiusSession.findUnique({ where: { id: silent.id } }))?.stoppedAt).toBeNull();
  });

  it("a pending request whose NOTIFY never came is claimed at a worker's next poll", async () => {
    const missed = await session("sess-missed-notify");
    await db.prisma.disconnectRequest.create({ data: { sessionId: missed.id, requestedBy: actor.email, expiresAt: new Date(Date.now() + 60_000) } });
    expect(await waitFor(async () => ((await requestFor(missed.id)).status === "acked" ? true : undefined), { timeoutMs: 10_000 })).toBe(true);
    expect(sentFor("sess-missed-notify")).toHaveLength(1);
  });

  it("a request past its expiry is never sent; one a crashed worker left sending is closed as lost, never resent", async () => {
    const expired = await session("sess-expired");
    const crashed = await session("sess-crashed");
    // Both are past what the running workers would take, whichever of them polls first.
    await db.prisma.$executeRaw`INSERT INTO "DisconnectRequest" ("id", "sessionId", "requestedBy", "expiresAt") VALUES (gen_random_uuid(), ${expired.id}::uuid, ${actor.email}, now() - interval '1 second')`;
    await db.prisma.$executeRaw`INSERT INTO "DisconnectRequest" ("id", "sessionId", "requestedBy", "status", "claimedBy", "claimedAt", "expiresAt") VALUES (gen_random_uuid(), ${crashed.id}::uuid, ${actor.email}, 'sending', 'crashed-worker', now() - interval '2 minutes', now() - interval '2 minutes')`;
    expect(await claimDisconnectRequests({ prisma: db.prisma, workerId: "test" })).toEqual([]);
    await expireDisconnectRequests({ prisma: db.prisma });
    expect(await requestFor(expired.id)).toMatchObject({ status: "expired" });
    expect(await requestFor(crashed.id)).toMatchObject({ status: "lost", claimedBy: "crashed-worker" });
    expect([sentFor("sess-expired").length, sentFor("sess-crashed").length]).toEqual([0, 0]);
    const audits = await db.prisma.adminAuditEvent.findMany({ where: { action: "session.disconnect", targetId: { in: [expired.id, crashed.id] } }, orderBy: { targetId: "asc" } });
    expect(audits.map((audit) => (audit.after as { answer?: string } | null)?.answer).sort()).toEqual(["not sent: no worker was running to send it", "unknown: the worker stopped while sending it"]);
  });

  it("with no worker running: nothing is sent, the request expires, and the caller is told why", async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    workers = [];
    const orphan = await session("sess-no-worker");
    await expect(disconnect(orphan.id, { claimWithinMs: 800 })).rejects.toThrow(/no worker is running to send it/);
    expect(await requestFor(orphan.id)).toMatchObject({ status: "expired", claimedBy: null });
    expect(sentFor("sess-no-worker")).toHaveLength(0);
    expect((await db.prisma.radiusSession.findUnique({ where: { id: orphan.id } }))?.stoppedAt).toBeNull();
    expect(await db.prisma.adminAuditEvent.findFirst({ where: { action: "session.disconnect", targetId: orphan.id } })).toMatchObject({ actorEmail: actor.email, after: { answer: "not sent: no worker was running to send it" } });
  });
});
