import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimRetentionRun, RETENTION_SETTING_KEY } from "../lib/retention/claim-retention-run";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { waitFor } from "./test-support/wait-for";

const DAY = 24 * 60 * 60 * 1000;

// TWOFOLD_RETENTION_DAYS: a running worker prunes by itself, once a day for the whole fleet.
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
beforeAll(async () => {
  database = await createIsolatedDatabase();
});
afterAll(async () => {
  delete process.env.TWOFOLD_RETENTION_DAYS;
  await database?.drop();
});

const authEvent = (time: Date) =>
  database.prisma.authEvent.create({ data: { eventId: randomUUID(), time, usernameRaw: "alice", username: "alice", result: "failure", reason: "invalid_passcode", workerId: "seed" } });

describe("worker retention", { timeout: 120_000 }, () => {
  it("deletes events older than TWOFOLD_RETENTION_DAYS soon after start, keeps newer ones, and audits it", async () => {
    const old = await authEvent(new Date(Date.now() - 40 * DAY));
    const recent = await authEvent(new Date(Date.now() - 20 * DAY));
    process.env.TWOFOLD_RETENTION_DAYS = "30";
    const worker = await startTestWorker({ databaseUrl: database.url });
    try {
      // The audit row is written after every table is pruned, so it (not the deleted row) marks the run as done.
      const audit = await waitFor(async () => (await database.prisma.adminAuditEvent.findFirst({ where: { action: "retention.prune" } })) ?? undefined, { timeoutMs: 60_000, intervalMs: 250 });
      expect(await database.prisma.authEvent.count({ where: { id: old.id } })).toBe(0);
      expect(await database.prisma.authEvent.count({ where: { id: recent.id } })).toBe(1);
      expect(audit).toMatchObject({
        actorEmail: "worker:retention",
        after: { olderThanDays: 30, counts: { authEvents: 1 } },
      });
      expect(await database.prisma.setting.findUnique({ where: { key: RETENTION_SETTING_KEY } })).not.toBeNull();
    } finally {
      await worker.stop();
    }
  });

  it("lets one process a day claim the run", async () => {
    const now = new Date(Date.now() + 2 * DAY); // past whatever the previous test recorded
    expect(await claimRetentionRun({ prisma: database.prisma, now, everyMs: DAY })).toBe(true);
    expect(await claimRetentionRun({ prisma: database.prisma, now: new Date(now.getTime() + 60_000), everyMs: DAY })).toBe(false);
    expect(await claimRetentionRun({ prisma: database.prisma, now: new Date(now.getTime() + DAY), everyMs: DAY })).toBe(true);
  });
});
