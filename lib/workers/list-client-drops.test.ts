import { randomUUID } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { listClientDrops } from "./list-client-drops";
import { recordHeartbeat, type TWorkerStats } from "./record-heartbeat";

afterAll(async () => {
  await disconnectPrisma();
});

it("lists each worker's drops and config problems for one RADIUS client, leaving out day-old workers", async () => {
  const clientId = randomUUID();
  const other = randomUUID();
  const [live, old] = [`drops-live-${randomUUID()}`, `drops-old-${randomUUID()}`];
  const stats: TWorkerStats = {
    droppedByClient: { [clientId]: { name: "asa", total: 4, reasons: { missing_message_authenticator: 1, bad_message_authenticator: 3 } }, [other]: { name: "b", total: 9, reasons: { bad_password: 9 } } },
    configProblems: [
      { table: "RadiusClient", rowId: clientId, field: "applicationId", message: `RadiusClient ${clientId}: applicationId: "asa" belongs to no application`, skipped: false },
      { table: "RadiusClient", rowId: other, field: "secret", message: "other", skipped: true },
    ],
  };
  await recordHeartbeat({ prisma, workerId: live, hostname: "h", configVersion: 1, startedAt: new Date(), stats });
  await recordHeartbeat({ prisma, workerId: old, hostname: "h", configVersion: 1, startedAt: new Date(), stats, now: new Date(Date.now() - 2 * 86_400_000) });
  try {
    const views = (await listClientDrops({ prisma, clientId })).filter((view) => view.workerId === live || view.workerId === old);
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({
      workerId: live,
      alive: true,
      dropsTotal: 4,
      drops: [{ reason: "bad_message_authenticator", count: 3 }, { reason: "missing_message_authenticator", count: 1 }],
      problems: [{ rowId: clientId, skipped: false }],
    });
    const none = (await listClientDrops({ prisma, clientId: randomUUID() })).find((view) => view.workerId === live);
    expect(none).toMatchObject({ dropsTotal: 0, drops: [], problems: [] });
  } finally {
    await prisma.workerStatus.deleteMany({ where: { id: { in: [live, old] } } });
  }
});
