import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient } from "../../worker/test-support/seed";
import { roleHasPermission } from "../auth/permissions";
import { Attr, RadiusCode } from "../radius/constants";
import { startCoaNas } from "../testing/coa-nas";
import { disconnectSession } from "./disconnect-session";
import { listLiveSessions } from "./list-live-sessions";

// The console's Disconnect, against a NAS socket of the test's own that checks the request with its secret.
const NAS_SECRET = "console-disconnect-secret";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let nas: Awaited<ReturnType<typeof startCoaNas>>;
let clientId: string;
let applicationId: string;
const actor = { adminId: undefined, email: "helpdesk@example.test" };

const session = (acctSessionId: string, extra: { stoppedAt?: Date } = {}) =>
  db.prisma.radiusSession.create({
    data: { radiusClientId: clientId, applicationId, nasAddress: "127.0.0.1", nasIp: "192.0.2.7", acctSessionId, username: "CORP\\Erin", userKey: "erin", framedIp: "10.8.0.44", auditSessionId: "0a0b0c", ...extra },
  });

beforeAll(async () => {
  db = await createIsolatedDatabase();
  nas = await startCoaNas({ secret: NAS_SECRET, answer: (request) => (request.text(Attr.AcctSessionId) === "gone-at-nas" ? { ack: false, errorCause: 503 } : { ack: true }) });
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius" });
  applicationId = application.id;
  const client = await seedClient({ prisma: db.prisma, applicationId, secret: NAS_SECRET });
  clientId = client.id;
  await db.prisma.radiusClient.update({ where: { id: clientId }, data: { coaPort: nas.port } });
  await db.prisma.user.create({ data: { username: "erin" } });
}, 60_000);

afterAll(async () => {
  await nas?.stop();
  await db?.drop();
});

describe("the console's live sessions and Disconnect", () => {
  it("helpdesk may disconnect; readonly may not", () => {
    expect(roleHasPermission("helpdesk", "users:disconnect")).toBe(true);
    expect(roleHasPermission("readonly", "users:disconnect")).toBe(false);
  });

  it("lists the user's live sessions and ends one at the NAS: audited, logged, closed", async () => {
    const live = await session("sess-live");
    await session("sess-old", { stoppedAt: new Date() });
    expect((await listLiveSessions({ prisma: db.prisma, username: "erin" })).map((row) => row.acctSessionId)).toEqual(["sess-live"]);
    expect(await disconnectSession({ prisma: db.prisma, actor, sessionId: live.id })).toEqual({ acknowledged: true });
    const request = nas.received.at(-1);
    expect(request?.code).toBe(RadiusCode.DisconnectRequest);
    expect([request?.text(Attr.UserName), request?.text(Attr.AcctSessionId)]).toEqual(["CORP\\Erin", "sess-live"]);
    expect(request?.attributes.find((attr) => attr.type === Attr.FramedIpAddress)?.value).toEqual(Buffer.from([10, 8, 0, 44]));
    expect(await listLiveSessions({ prisma: db.prisma, username: "erin" })).toEqual([]);
    const audit = await db.prisma.adminAuditEvent.findFirst({ where: { action: "session.disconnect", targetId: live.id } });
    expect(audit).toMatchObject({ actorEmail: actor.email, after: { answer: "Disconnect-ACK" } });
    const event = await db.prisma.authEvent.findFirst({ where: { reason: "disconnect", username: "erin" }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ result: "success", radiusClientId: clientId, attributes: { by: actor.email } });
    expect(event?.userId).not.toBeNull();
  });

  it("reports the NAS's refusal, keeps the session, and audits it too", async () => {
    const lost = await session("gone-at-nas");
    expect(await disconnectSession({ prisma: db.prisma, actor, sessionId: lost.id })).toEqual({ acknowledged: false, errorCause: 503 });
    expect((await db.prisma.radiusSession.findUnique({ where: { id: lost.id } }))?.stoppedAt).toBeNull();
    expect(await db.prisma.adminAuditEvent.count({ where: { action: "session.disconnect", targetId: lost.id } })).toBe(1);
    await expect(disconnectSession({ prisma: db.prisma, actor, sessionId: "00000000-0000-0000-0000-000000000000" })).rejects.toThrow(/already ended/);
  });
});
