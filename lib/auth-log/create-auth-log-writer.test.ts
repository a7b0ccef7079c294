import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startRestartableTestDatabase, type TRestartableTestDatabase } from "../testing/test-database";
import type { TAuthEventInput } from "./auth-event-schema";
import { createAuthLogWriter } from "./create-auth-log-writer";

const cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

const spoolDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-spool-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

const query = async <R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
};

const event = (n: number): TAuthEventInput => ({
  usernameRaw: `CORP\\user${n}`,
  username: `user${n}`,
  nasIp: "10.0.0.1",
  result: n % 2 === 0 ? "success" : "failure",
  reason: n % 2 === 0 ? "accepted" : "primary_reject",
  primaryMs: n,
  attributes: { n, class: "OU=Engineering;" },
});

describe("createAuthLogWriter", () => {
  it("writes events in batches with every field intact", async () => {
    const url = process.env.DATABASE_URL!;
    const workerId = `w-${randomUUID()}`;
    const dir = spoolDir();
    const writer = await createAuthLogWriter({ databaseUrl: url, spoolDir: dir, workerId });
    const time = new Date("2026-11-23T12:34:56.789Z");
    const first = writer.write({ ...event(0), time, clientName: "asa", callingStationId: "203.0.113.5", factor: "totp" });
    for (let n = 1; n < 1200; n += 1) writer.write(event(n));
    await writer.flush();
    const rows = await query<{ count: string }>(url, `SELECT count(*) FROM "AuthEvent" WHERE "workerId" = $1`, [workerId]);
    expect(Number(rows[0]?.count)).toBe(1200);
    const [stored] = await query<Record<string, unknown>>(url, `SELECT * FROM "AuthEvent" WHERE "eventId" = $1`, [first.eventId]);
    expect(stored).toMatchObject({
      usernameRaw: "CORP\\user0",
      username: "user0",
      result: "success",
      reason: "accepted",
      clientName: "asa",
      callingStationId: "203.0.113.5",
      factor: "totp",
      primaryMs: 0,
      attributes: { n: 0, class: "OU=Engineering;" },
    });
    // timestamp(3) without zone holds UTC wall time
    const [wall] = await query<{ text: string }>(url, `SELECT to_char("time", 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS text FROM "AuthEvent" WHERE "eventId" = $1`, [first.eventId]);
    expect(wall?.text).toBe("2026-11-23T12:34:56.789");
    // Journal emptied once the rows are in: a restart would replay nothing.
    expect(readFileSync(path.join(dir, `auth-events-${workerId}.jsonl`), "utf8")).toBe("");
    await writer.close();
  });

  it("journal() resolves once the event is in the journal on disk, before any insert, in order", async () => {
    const url = process.env.DATABASE_URL!;
    const workerId = `w-${randomUUID()}`;
    const dir = spoolDir();
    const writer = await createAuthLogWriter({ databaseUrl: url, spoolDir: dir, workerId, batchMs: 60_000, batchSize: 10_000 });
    const events = await Promise.all(Array.from({ length: 200 }, (_value, n) => writer.journal(event(n))));
    const journaled = readFileSync(path.join(dir, `auth-events-${workerId}.jsonl`), "utf8").trim().split("\n").map((line) => (JSON.parse(line) as { eventId: string }).eventId);
    expect(journaled).toEqual(events.map((stored) => stored.eventId));
    const count = async () => Number((await query<{ count: string }>(url, `SELECT count(*) FROM "AuthEvent" WHERE "workerId" = $1`, [workerId]))[0]?.count);
    expect(await count()).toBe(0);
    await writer.close();
    expect(await count()).toBe(200);
  });

  it("rejects an event with an unknown reason code", async () => {
    const writer = await createAuthLogWriter({ databaseUrl: process.env.DATABASE_URL!, spoolDir: spoolDir(), workerId: "w-bad" });
    expect(() => writer.write({ ...event(1), reason: "because" as "accepted" })).toThrow(/reason/);
    await writer.close();
  });

  it("close() flushes what is queued", async () => {
    const url = process.env.DATABASE_URL!;
    const workerId = `w-${randomUUID()}`;
    const writer = await createAuthLogWriter({ databaseUrl: url, spoolDir: spoolDir(), workerId, batchMs: 60_000 });
    for (let n = 0; n < 3; n += 1) writer.write(event(n));
    await writer.close();
    const rows = await query<{ count: string }>(url, `SELECT count(*) FROM "AuthEvent" WHERE "workerId" = $1`, [workerId]);
    expect(Number(rows[0]?.count)).toBe(3);
  });

  // Starts, stops and restarts a PostgreSQL cluster of its own: slow on a busy two-core machine, hence the timeout.
  it("spools while Postgres is down and replays every event exactly once, in order", async () => {
    const database: TRestartableTestDatabase = await startRestartableTestDatabase();
    cleanup.push(() => database.stop());
    const dir = spoolDir();
    const workerId = "w-outage";
    const writer = await createAuthLogWriter({ databaseUrl: database.url, spoolDir: dir, workerId, log: () => {} });
    const written: string[] = [];
    const write = (n: number) => written.push(writer.write(event(n)).eventId);

    for (let n = 0; n < 50; n += 1) write(n);
    await writer.flush();
    await database.pause();
    for (let n = 50; n < 150; n += 1) write(n);
    await writer.flush();
    expect(writer.stats().spooling).toBe(true);
    // Waiting on disk: the segment moved aside for the failed insert (and the live journal, for later events).
    const spooledBytes = () => readdirSync(dir).filter((name) => name.endsWith(".jsonl")).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
    expect(spooledBytes()).toBeGreaterThan(0);
    for (let n = 150; n < 170; n += 1) write(n);
    await writer.flush(); // still down: appended behind the earlier spooled events

    await database.resume();
    for (let n = 170; n < 200; n += 1) write(n);
    await writer.flush();
    expect(writer.stats().spooling).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith(".jsonl"))).toEqual([`auth-events-${workerId}.jsonl`]);
    expect(statSync(path.join(dir, `auth-events-${workerId}.jsonl`)).size).toBe(0);

    const rows = await query<{ eventId: string }>(database.url, `SELECT "eventId" FROM "AuthEvent" ORDER BY id`);
    expect(rows.map((row) => row.eventId)).toEqual(written);
    await writer.close();
  }, 120_000);

  it("replays a spool left behind by a crashed worker, quarantining a torn last line and skipping duplicates", async () => {
    const url = process.env.DATABASE_URL!;
    const dir = spoolDir();
    const workerId = `w-${randomUUID()}`;
    const eventIds = [randomUUID(), randomUUID()];
    const line = (eventId: string, n: number) =>
      JSON.stringify({ ...event(n), eventId, time: new Date().toISOString(), workerId });
    // The same event twice (a replay interrupted after its insert committed) and a torn write at the end.
    writeFileSync(path.join(dir, `auth-events-${workerId}.replaying.jsonl`), `${line(eventIds[0]!, 0)}\n`);
    writeFileSync(path.join(dir, `auth-events-${workerId}.jsonl`), `${line(eventIds[0]!, 0)}\n${line(eventIds[1]!, 1)}\n{"eventId":"to`);
    const writer = await createAuthLogWriter({ databaseUrl: url, spoolDir: dir, workerId, log: () => {} });
    await writer.flush();
    const rows = await query<{ eventId: string }>(url, `SELECT "eventId" FROM "AuthEvent" WHERE "workerId" = $1 ORDER BY id`, [workerId]);
    expect(rows.map((row) => row.eventId)).toEqual(eventIds);
    expect(readdirSync(dir).filter((name) => name.endsWith(".jsonl")).sort()).toEqual([`auth-events-${workerId}.jsonl`, `auth-events-${workerId}.quarantine.jsonl`]);
    expect(statSync(path.join(dir, `auth-events-${workerId}.jsonl`)).size).toBe(0);
    // The torn fragment is kept as evidence, not replayed.
    const quarantined = readFileSync(path.join(dir, `auth-events-${workerId}.quarantine.jsonl`), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { line: string });
    expect(quarantined.map((entry) => entry.line)).toEqual(['{"eventId":"to']);
    expect(writer.stats().quarantined).toBe(1);
    await writer.close();
  });

  it("adopts the spool of a stopped worker that ran under another id, but not one of a live worker", async () => {
    const url = process.env.DATABASE_URL!;
    const dir = spoolDir();
    const deadPid = spawnSync("true").pid!; // exited by now
    const orphanEvent = { ...event(1), eventId: randomUUID(), time: new Date().toISOString(), workerId: "old-life" };
    const busyEvent = { ...event(2), eventId: randomUUID(), time: new Date().toISOString(), workerId: "still-running" };
    writeFileSync(path.join(dir, "auth-events-old-life.jsonl"), `${JSON.stringify(orphanEvent)}\n`);
    writeFileSync(path.join(dir, "auth-events-old-life.owner"), `${hostname()}:${deadPid}`);
    writeFileSync(path.join(dir, "auth-events-still-running.jsonl"), `${JSON.stringify(busyEvent)}\n`);
    writeFileSync(path.join(dir, "auth-events-still-running.owner"), `${hostname()}:${process.pid}`);
    const writer = await createAuthLogWriter({ databaseUrl: url, spoolDir: dir, workerId: `new-life-${randomUUID()}`, log: () => {} });
    await writer.flush();
    const rows = await query<{ eventId: string }>(url, `SELECT "eventId" FROM "AuthEvent" WHERE "eventId" = ANY($1::uuid[])`, [[orphanEvent.eventId, busyEvent.eventId]]);
    expect(rows.map((row) => row.eventId)).toEqual([orphanEvent.eventId]);
    expect(readdirSync(dir).some((name) => name.startsWith("auth-events-old-life"))).toBe(false);
    expect(readdirSync(dir)).toContain("auth-events-still-running.jsonl");
    await writer.close();
  });
});
