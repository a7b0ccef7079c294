import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { canMountTmpfs, mountTinyTmpfs, type TTinyTmpfs } from "../testing/tiny-tmpfs";
import type { TAuthEventInput } from "./auth-event-schema";
import { createAuthLogWriter } from "./create-auth-log-writer";
import { openEventSpool, SpoolAppendError } from "./event-spool";

// Issue 9, item 8 under a full disk: a journal write the disk refuses is reported to the caller (who must not answer
// an Accept on it), leaves nothing behind in the journal to be replayed later, and the log goes on once there is room.
// A real full filesystem: a tiny tmpfs, filled to the last page.
let disk: TTinyTmpfs;
beforeAll(() => {
  if (!canMountTmpfs) return;
  disk = mountTinyTmpfs({ sizeKiB: 512 });
});
afterAll(() => {
  disk?.free();
  disk?.unmount();
});

const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
};

const event = (username: string): TAuthEventInput => ({ usernameRaw: username, username, result: "success", reason: "valid_passcode" });

it.skipIf(!canMountTmpfs)("spool: cuts off the part of a refused append that fitted, so none of its lines is replayed", async () => {
  const spoolDir = path.join(disk.dir, `spool-${randomUUID()}`);
  mkdirSync(spoolDir);
  const spool = await openEventSpool<string>({ spoolDir, name: "auth-events-unit", prefix: "auth-events" });
  const live = path.join(spoolDir, "auth-events-unit.jsonl");
  await spool.append([{ line: '"before"', item: "before" }]);
  disk.spare(4096);
  disk.fill(); // one page left: a 12 KiB append is a short write, then ENOSPC
  const big = "x".repeat(4000);
  const refused = [1, 2, 3].map((n) => ({ line: JSON.stringify(`${big}${n}`), item: `${big}${n}` }));
  const failure = await spool.append(refused).then(() => undefined, (error: unknown) => error);
  expect(failure).toBeInstanceOf(SpoolAppendError);
  expect(String(failure)).toMatch(/ENOSPC/);
  expect((failure as SpoolAppendError).mayRemain).toBe(false); // cut off again
  expect(readFileSync(live, "utf8")).toBe('"before"\n');
  disk.free();
  disk.spare(0);
  await spool.append([{ line: '"after"', item: "after" }]);
  expect(readFileSync(live, "utf8")).toBe('"before"\n"after"\n');
  expect(await spool.next()).toEqual({ source: "live", items: ["before", "after"] });
  await spool.close();
});

it.skipIf(!canMountTmpfs)("writer: a durable journal call is refused on a full disk, a best-effort one reaches the database, and the log resumes", async () => {
  const workerId = `full-${randomUUID()}`;
  const spoolDir = path.join(disk.dir, `spool-${randomUUID()}`);
  const lines: string[] = [];
  const writer = await createAuthLogWriter({ databaseUrl: process.env.DATABASE_URL!, spoolDir, workerId, log: (line) => lines.push(line), batchMs: 50 });
  const ok = await writer.journal(event("before"));
  await writer.flush(); // inserted, the live file emptied: the next append needs a page of its own
  disk.fill();
  await expect(writer.journal(event("accepted"))).rejects.toThrow(/journal write failed: .*ENOSPC/);
  const recorded = await writer.record(event("rejected instead"));
  expect(writer.stats()).toMatchObject({ journalFailed: 2, journalFailing: true });
  expect(lines.join("\n")).toMatch(/CANNOT JOURNAL 1 AuthEvent rows .*1 refused to their callers, 0 sent to the database/);
  await writer.flush();
  disk.free();
  const after = await writer.journal(event("after"));
  expect(writer.stats().journalFailing).toBe(false);
  await writer.flush();
  const rows = await query<{ username: string; eventId: string }>(`SELECT username, "eventId" FROM "AuthEvent" WHERE "workerId" = $1 ORDER BY id`, [workerId]);
  // The refused event is nowhere: not in the database, not left in the journal for a replay.
  expect(rows).toEqual([ok, recorded, after].map((each) => ({ username: each.username, eventId: each.eventId })));
  await writer.close();
  expect(readFileSync(path.join(spoolDir, `auth-events-${workerId}.jsonl`), "utf8")).toBe("");
});
