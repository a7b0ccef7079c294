import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { pruneOldRecords, type TPruneKind } from "./prune-old-records";

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms);
const later = (ms: number) => new Date(Date.now() + ms);
const ACTOR = { email: "prune-test" };

// Duo API async transactions go with the rest of the history: settled or past their keep time and created before
// the cutoff. One still pending and live is kept however old (a poll may be in flight). A database of its own:
// prune sees every row.
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const kept: string[] = [];

const transaction = async (options: { createdAt: Date; expiresAt: Date; settledAt?: Date }) => {
  const id = randomUUID();
  await database.prisma.apiTransaction.create({
    data: { id, applicationId: randomUUID(), createdAt: options.createdAt, expiresAt: options.expiresAt, settledAt: options.settledAt ?? null, decision: options.settledAt ? { result: "allow" } : undefined },
  });
  return id;
};
const remaining = async () => (await database.prisma.apiTransaction.findMany({ select: { id: true } })).map((row) => row.id).sort();

beforeAll(async () => {
  database = await createIsolatedDatabase();
  for (let index = 0; index < 5; index += 1) await transaction({ createdAt: ago(500 * DAY + index * 1000), expiresAt: ago(500 * DAY - 300_000), settledAt: ago(500 * DAY - 5000) });
  await transaction({ createdAt: ago(400 * DAY + 3 * HOUR), expiresAt: ago(400 * DAY), settledAt: ago(400 * DAY + 3 * HOUR - 1000) }); // 3 h past the cutoff
  await transaction({ createdAt: ago(450 * DAY), expiresAt: ago(450 * DAY - 300_000) }); // never settled (its worker died), long expired
  kept.push(
    await transaction({ createdAt: ago(450 * DAY), expiresAt: later(60_000) }), // pending and still live: a poll may come
    await transaction({ createdAt: ago(400 * DAY - 3 * HOUR), expiresAt: ago(400 * DAY - 3 * HOUR - 300_000), settledAt: ago(400 * DAY - 3 * HOUR - 1000) }), // 3 h short of it
    await transaction({ createdAt: ago(DAY), expiresAt: ago(DAY - 300_000), settledAt: ago(DAY - 1000) }),
    await transaction({ createdAt: new Date(), expiresAt: later(300_000) }),
  );
  kept.sort();
});
afterAll(async () => {
  await database?.drop();
});

describe("pruneOldRecords: ApiTransaction", { timeout: 120_000 }, () => {
  it("a dry run counts the finished old transactions and deletes nothing", async () => {
    const before = await remaining();
    const result = await pruneOldRecords({ prisma: database.prisma, olderThanDays: 400, dryRun: true, actor: ACTOR });
    expect(result.counts.apiTransactions).toBe(7);
    expect(await remaining()).toEqual(before);
  });

  it("deletes them in batches of batchSize, keeps live and recent ones, and audits the count", async () => {
    const progress: number[] = [];
    const result = await pruneOldRecords({
      prisma: database.prisma,
      olderThanDays: 400,
      batchSize: 2,
      actor: ACTOR,
      onProgress: (kind: TPruneKind, deleted) => kind === "apiTransactions" && progress.push(deleted),
    });
    expect(result.counts.apiTransactions).toBe(7);
    expect(progress).toEqual([2, 4, 6, 7]); // one DELETE of at most 2 rows each
    expect(await remaining()).toEqual(kept);
    const audit = await database.prisma.adminAuditEvent.findFirst({ where: { action: "retention.prune" }, orderBy: { createdAt: "desc" } });
    expect(audit?.after).toMatchObject({ counts: { apiTransactions: 7 } });
  });

  it("a second run finds nothing left to delete and audits nothing", async () => {
    const audits = await database.prisma.adminAuditEvent.count({ where: { action: "retention.prune" } });
    const result = await pruneOldRecords({ prisma: database.prisma, olderThanDays: 400, actor: ACTOR });
    expect(result.counts.apiTransactions).toBe(0);
    expect(await database.prisma.adminAuditEvent.count({ where: { action: "retention.prune" } })).toBe(audits);
  });

  it("refuses a batch size that is not a positive integer (it is spliced into the statement)", async () => {
    for (const batchSize of [0, -1, 1.5, Number.NaN]) {
      await expect(pruneOldRecords({ prisma: database.prisma, olderThanDays: 400, batchSize, actor: ACTOR })).rejects.toThrow(/batchSize/);
    }
  });
});
