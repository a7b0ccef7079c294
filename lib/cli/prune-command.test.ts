import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTwofold } from "../testing/run-twofold";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";

const DAY = 24 * 60 * 60 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms);
const later = (ms: number) => new Date(Date.now() + ms);

// prune deletes exactly the history older than the cutoff and nothing that is still live, whatever the zone the
// CLI runs in (the columns hold UTC without a zone). A database of its own: prune sees every row.
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let env: Record<string, string>;
const kept = { authEvents: [] as bigint[], accountingEvents: [] as bigint[], radiusSessions: [] as string[], pushRequests: [] as string[], enrollmentLinks: [] as string[], challengeStates: [] as string[] };

beforeAll(async () => {
  database = await createIsolatedDatabase();
  env = { DATABASE_URL: database.url, TWOFOLD_SECRET_KEY: process.env.TWOFOLD_SECRET_KEY ?? "" };
  const { prisma } = database;
  const user = await prisma.user.create({ data: { username: "pruned-user" } });
  const authEvent = async (time: Date) =>
    (await prisma.authEvent.create({ data: { eventId: randomUUID(), time, usernameRaw: "alice", username: "alice", result: "success", reason: "valid_passcode", workerId: "test" } })).id;
  const accountingEvent = async (time: Date) => (await prisma.accountingEvent.create({ data: { eventId: randomUUID(), time, username: "alice", statusType: "Start", workerId: "test" } })).id;
  const push = async (createdAt: Date, status: string, expiresAt: Date) =>
    (await prisma.pushRequest.create({ data: { userId: user.id, dedupeKey: randomUUID(), status, createdAt, expiresAt } })).id;
  const link = async (createdAt: Date, expiresAt: Date, usedAt: Date | null) =>
    (await prisma.enrollmentLink.create({ data: { userId: user.id, tokenHash: randomUUID(), createdBy: "test", createdAt, expiresAt, usedAt } })).id;
  const nas = await prisma.radiusClient.create({ data: { name: "prune-nas", address: "10.9.9.9", secret: "unused-envelope" } });
  const session = async (startedAt: Date, updatedAt: Date, stoppedAt: Date | null) =>
    (await prisma.radiusSession.create({ data: { radiusClientId: nas.id, nasAddress: "10.9.9.9", acctSessionId: randomUUID(), username: "alice", userKey: "alice", startedAt, updatedAt, stoppedAt } })).id;
  const state = async (expiresAt: Date) =>
    (await prisma.challengeState.create({ data: { id: randomUUID().replace(/-/g, ""), clientId: randomUUID(), username: "alice", data: { purpose: "factor" }, expiresAt } })).id;

  for (let index = 0; index < 5; index += 1) await authEvent(ago(500 * DAY + index * 1000));
  await authEvent(ago(400 * DAY + 3 * 60 * 60 * 1000)); // three hours past the cutoff: goes
  kept.authEvents.push(await authEvent(ago(400 * DAY - 3 * 60 * 60 * 1000)), await authEvent(ago(10 * DAY)), await authEvent(new Date()));
  for (let index = 0; index < 3; index += 1) await accountingEvent(ago(450 * DAY));
  kept.accountingEvents.push(await accountingEvent(ago(DAY)));
  await session(ago(500 * DAY), ago(450 * DAY), ago(450 * DAY)); // ended long ago
  await session(ago(500 * DAY), ago(480 * DAY), null); // its Stop was lost: nothing touched it since
  kept.radiusSessions.push(await session(ago(500 * DAY), ago(DAY), null), await session(ago(10 * DAY), ago(5 * DAY), ago(5 * DAY)));
  await push(ago(500 * DAY), "denied", ago(500 * DAY - 60_000));
  await push(ago(500 * DAY), "approved", ago(500 * DAY - 60_000));
  await push(ago(500 * DAY), "pending", ago(500 * DAY - 60_000)); // never settled (a crash), long expired: goes
  kept.pushRequests.push(await push(ago(500 * DAY), "pending", later(60_000)), await push(ago(DAY), "denied", ago(DAY - 60_000)));
  await link(ago(500 * DAY), ago(499 * DAY), ago(499.5 * DAY)); // used
  await link(ago(500 * DAY), ago(499 * DAY), null); // expired unused
  kept.enrollmentLinks.push(await link(ago(500 * DAY), later(DAY), null), await link(ago(DAY), later(DAY), ago(DAY / 2)));
  await state(ago(120_000));
  kept.challengeStates.push(await state(ago(10_000)), await state(later(300_000)));
});
afterAll(async () => {
  await database?.drop();
});

const remaining = async () => ({
  authEvents: (await database.prisma.authEvent.findMany({ orderBy: { id: "asc" } })).map((row) => row.id),
  accountingEvents: (await database.prisma.accountingEvent.findMany({ orderBy: { id: "asc" } })).map((row) => row.id),
  radiusSessions: (await database.prisma.radiusSession.findMany()).map((row) => row.id).sort(),
  pushRequests: (await database.prisma.pushRequest.findMany()).map((row) => row.id).sort(),
  enrollmentLinks: (await database.prisma.enrollmentLink.findMany()).map((row) => row.id).sort(),
  challengeStates: (await database.prisma.challengeState.findMany()).map((row) => row.id).sort(),
});

const expectedCounts = { authEvents: 6, accountingEvents: 3, radiusSessions: 2, pushRequests: 3, enrollmentLinks: 2, challengeStates: 1, apiTransactions: 0 }; // ApiTransaction: lib/retention/prune-old-records.test.ts

describe("twofold prune", { timeout: 180_000 }, () => {
  it("--dry-run counts what would go and deletes nothing", async () => {
    const before = await remaining();
    const run = await runTwofold({ args: ["prune", "--older-than", "400d", "--dry-run", "--json"], env });
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ dryRun: true, counts: expectedCounts });
    expect(await remaining()).toEqual(before);
  });

  it("deletes exactly the old rows in small batches, keeps the rest, and audits the counts as cli", async () => {
    // The far side of the date line: a zone mix-up would move the cutoff by 14 hours and misplace the boundary rows.
    const run = await runTwofold({ args: ["prune", "--older-than", "400d", "--batch-size", "2", "--json"], env: { ...env, TZ: "Pacific/Kiritimati" } });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = run.json() as { cutoff: string; counts: unknown };
    expect(result.counts).toEqual(expectedCounts);
    expect(Math.abs(new Date(result.cutoff).getTime() - ago(400 * DAY).getTime())).toBeLessThan(10 * 60_000);
    expect(await remaining()).toEqual({
      authEvents: kept.authEvents,
      accountingEvents: kept.accountingEvents,
      radiusSessions: [...kept.radiusSessions].sort(),
      pushRequests: [...kept.pushRequests].sort(),
      enrollmentLinks: [...kept.enrollmentLinks].sort(),
      challengeStates: [...kept.challengeStates].sort(),
    });
    expect(await database.prisma.adminAuditEvent.findFirst({ where: { action: "retention.prune" } })).toMatchObject({
      actorEmail: "cli",
      adminId: null,
      after: { olderThanDays: 400, counts: expectedCounts, interrupted: false },
    });

    const again = await runTwofold({ args: ["prune", "--older-than", "58w"], env }); // 406 days: nothing older is left
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/deleted \(older than 58w.*\n\s+0\s+auth events/);
  });

  it("refuses an age shorter than a day or without a unit (usage, exit 2)", async () => {
    for (const age of ["12h", "400", "0d"]) expect((await runTwofold({ args: ["prune", "--older-than", age], env })).code).toBe(2);
  });
});
