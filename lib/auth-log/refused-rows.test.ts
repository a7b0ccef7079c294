import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import type { TAuthEventInput } from "./auth-event-schema";
import { createAccountingLogWriter } from "./create-accounting-log-writer";
import { createAuthLogWriter } from "./create-auth-log-writer";
import { decodeNasBytes } from "../radius/decode-nas-bytes";
import { readStoredText } from "./storable-text";

// Item 4 of issue 9: no input stops the log. Hostile text is made storable at the writer; whatever the database still
// refuses (here a CHECK constraint standing for any content error) is quarantined and the other rows go on.
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const dirs: string[] = [];
const spoolDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-refused-"));
  dirs.push(dir);
  return dir;
};
const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
};

beforeAll(async () => {
  db = await createIsolatedDatabase();
  await query(`ALTER TABLE "AuthEvent" ADD CONSTRAINT refuse_poison CHECK ("username" NOT LIKE 'poison%')`);
  await query(`ALTER TABLE "AccountingEvent" ADD CONSTRAINT refuse_poison CHECK ("username" NOT LIKE 'poison%')`);
});
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

const event = (username: string, extra: Partial<TAuthEventInput> = {}): TAuthEventInput => ({ usernameRaw: username, username, result: "success", reason: "accepted", ...extra });
const quarantineLines = (dir: string, name: string) =>
  readFileSync(path.join(dir, `${name}.quarantine.jsonl`), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { table: string; reason: string; line: string });

describe("the auth log under hostile input", () => {
  it("stores NUL, controls, unpaired surrogates and non-UTF-8 bytes in every text and JSON column, reversibly", async () => {
    const workerId = `w-${randomUUID()}`;
    const writer = await createAuthLogWriter({ databaseUrl: db.url, spoolDir: spoolDir(), workerId, log: () => {} });
    const hostile = {
      usernameRaw: decodeNasBytes(Buffer.from([0x61, 0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a])),
      username: "bad\u0000name\u009b",
      clientName: "nas\u0000",
      nasIp: "10.0.0.1\u0000",
      callingStationId: "\ud800203.0.113.5\u0007",
      factor: "totp\u0000",
      attributes: { "key\u0000": ["value\u0000", "\udfff"], detail: "C:\\x00 literally" },
    };
    const bad = writer.write(event("ignored", hostile));
    const good = Array.from({ length: 20 }, (_value, n) => writer.write(event(`fine-${n}`)).eventId);
    await writer.flush();
    const stored = await query<Record<string, unknown>>(`SELECT * FROM "AuthEvent" WHERE "workerId" = $1 ORDER BY id`, [workerId]);
    expect(stored.map((row) => row.eventId)).toEqual([bad.eventId, ...good]);
    const row = stored[0]!;
    for (const column of ["usernameRaw", "username", "clientName", "nasIp", "callingStationId", "factor"] as const) {
      expect(readStoredText(String(row[column])), column).toBe(hostile[column]);
    }
    expect(row.usernameRaw).toBe("a\\x00\\xff\\xfe\\x1b[2J");
    expect(row.attributes).toEqual({ "key\\x00": ["value\\x00", "\\udfff"], detail: "C:\\x5cx00 literally" });
    expect(writer.stats()).toMatchObject({ spooling: false, quarantined: 0, queued: 0 });
    await writer.close();
  });

  it("quarantines a row the database refuses, inserts every other row of the batch, and carries on", async () => {
    const workerId = `w-${randomUUID()}`;
    const dir = spoolDir();
    const logs: string[] = [];
    const writer = await createAuthLogWriter({ databaseUrl: db.url, spoolDir: dir, workerId, log: (line) => logs.push(line) });
    const names = Array.from({ length: 30 }, (_value, n) => (n === 4 || n === 17 ? `poison-${n}` : `user-${n}`));
    const written = names.map((name) => writer.write(event(name)));
    await writer.flush();
    for (let n = 0; n < 5; n += 1) writer.write(event(`after-${n}`));
    await writer.flush();
    const stored = await query<{ username: string }>(`SELECT username FROM "AuthEvent" WHERE "workerId" = $1 ORDER BY id`, [workerId]);
    expect(stored.map((row) => row.username)).toEqual([...names.filter((name) => !name.startsWith("poison")), ...Array.from({ length: 5 }, (_value, n) => `after-${n}`)]);
    const quarantined = quarantineLines(dir, `auth-events-${workerId}`);
    expect(quarantined.map((entry) => (JSON.parse(entry.line) as { eventId: string }).eventId)).toEqual([written[4]!.eventId, written[17]!.eventId]);
    expect(quarantined[0]!.reason).toMatch(/refuse_poison/);
    expect(writer.stats()).toMatchObject({ spooling: false, quarantined: 2, queued: 0 });
    expect(logs.filter((line) => line.includes("QUARANTINED"))).toHaveLength(2);
    await writer.close();
  });

  it("replays a spooled file past a poisoned line: the lines after it are not blocked", async () => {
    const workerId = `w-${randomUUID()}`;
    const dir = spoolDir();
    const line = (username: string) => JSON.stringify({ ...event(username), eventId: randomUUID(), time: new Date().toISOString(), workerId });
    writeFileSync(path.join(dir, `auth-events-${workerId}.replaying.jsonl`), `${line("old-1")}\n${line("poison-old")}\n${line("old-2")}\n`);
    writeFileSync(path.join(dir, `auth-events-${workerId}.jsonl`), `${line("live-1")}\nnot json at all\n${line("live-2")}\n`);
    const writer = await createAuthLogWriter({ databaseUrl: db.url, spoolDir: dir, workerId, log: () => {} });
    writer.write(event("new-1"));
    await writer.flush();
    const stored = await query<{ username: string }>(`SELECT username FROM "AuthEvent" WHERE "workerId" = $1 ORDER BY id`, [workerId]);
    expect(stored.map((row) => row.username)).toEqual(["old-1", "old-2", "live-1", "live-2", "new-1"]);
    expect(quarantineLines(dir, `auth-events-${workerId}`).map((entry) => entry.line)).toEqual([expect.stringContaining("poison-old"), "not json at all"]);
    await writer.close();
    // Never adopted or replayed again by a later start.
    const again = await createAuthLogWriter({ databaseUrl: db.url, spoolDir: dir, workerId: `w-${randomUUID()}`, log: () => {} });
    await again.flush();
    expect(again.stats()).toMatchObject({ replayed: 0, quarantined: 0 });
    await again.close();
  });

  it("keeps the event of a user deleted while it waited, with the id it was decided for", async () => {
    const workerId = `w-${randomUUID()}`;
    const writer = await createAuthLogWriter({ databaseUrl: db.url, spoolDir: spoolDir(), workerId, log: () => {} });
    const missingUser = randomUUID();
    writer.write(event("deleted-user", { userId: missingUser, attributes: { detail: "kept" } }));
    await writer.flush();
    const [row] = await query<{ userId: string | null; attributes: unknown }>(`SELECT "userId", attributes FROM "AuthEvent" WHERE "workerId" = $1`, [workerId]);
    expect(row).toEqual({ userId: missingUser, attributes: { detail: "kept" } });
    expect(writer.stats().quarantined).toBe(0);
    await writer.close();
  });
});

describe("the accounting log under hostile input", () => {
  it("stores hostile text and quarantines only the row the database refuses", async () => {
    const workerId = `w-${randomUUID()}`;
    const dir = spoolDir();
    const writer = await createAccountingLogWriter({ databaseUrl: db.url, spoolDir: dir, workerId, log: () => {} });
    writer.write({ username: "nul\u0000user", statusType: "Start", sessionId: "S\u0000\ud800", nasIp: "10.0.0.1", attributes: { "User-Name": ["nul\u0000user"] } });
    writer.write({ username: "poison-acct", statusType: "Start" });
    writer.write({ username: "fine", statusType: "Stop", sessionId: "S2" });
    await writer.flush();
    const stored = await query<{ username: string; sessionId: string | null; attributes: unknown }>(`SELECT username, "sessionId", attributes FROM "AccountingEvent" WHERE "workerId" = $1 ORDER BY id`, [workerId]);
    expect(stored).toEqual([
      { username: "nul\\x00user", sessionId: "S\\x00\\ud800", attributes: { "User-Name": ["nul\\x00user"] } },
      { username: "fine", sessionId: "S2", attributes: null },
    ]);
    expect(quarantineLines(dir, `accounting-events-${workerId}`).map((entry) => entry.table)).toEqual(["AccountingEvent"]);
    expect(writer.stats()).toMatchObject({ spooling: false, quarantined: 1 });
    await writer.close();
  });
});
