import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { readSiemBatch } from "./read-siem-batch";
import { serializedDb } from "./siem-db";

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const clients: pg.Client[] = [];
const connect = async () => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  clients.push(client);
  return client;
};
const insertEvent = (client: pg.Client, username: string, xactId: "default" | null = "default") =>
  client.query(
    `INSERT INTO "AuthEvent" ("eventId", "usernameRaw", username, result, reason, "workerId"${xactId === null ? `, "xactId"` : ""}) VALUES ($1, $2, $2, 'failure', 'invalid_password', 'w'${xactId === null ? ", NULL" : ""})`,
    [randomUUID(), username],
  );

beforeAll(async () => {
  db = await createIsolatedDatabase();
});

afterAll(async () => {
  for (const client of clients) await client.end().catch(() => undefined);
  await db?.drop();
});

describe("readSiemBatch", () => {
  it("holds back rows behind a transaction still open, so a cursor never passes a row that commits later", async () => {
    const slow = await connect();
    const fast = await connect();
    const reader = serializedDb(await connect());
    await slow.query("BEGIN");
    await insertEvent(slow, "slow"); // the smaller id and transaction id, committed last
    await insertEvent(fast, "fast");
    expect(await readSiemBatch({ db: reader, stream: "auth", after: { xactId: 0n, rowId: 0n }, limit: 10 })).toEqual([]);
    await slow.query("COMMIT");
    const batch = await readSiemBatch({ db: reader, stream: "auth", after: { xactId: 0n, rowId: 0n }, limit: 10 });
    expect(batch.map((record) => (record.body.user as { name: string }).name)).toEqual(["slow", "fast"]);
    // And after the cursor: only what follows it, in (xactId, id) order.
    const first = batch[0];
    if (!first) throw new Error("empty");
    const rest = await readSiemBatch({ db: reader, stream: "auth", after: { xactId: first.xactId, rowId: first.id }, limit: 10 });
    expect(rest.map((record) => (record.body.user as { name: string }).name)).toEqual(["fast"]);
  });

  it("does not stream rows without a transaction id (written before the migration)", async () => {
    const client = await connect();
    await insertEvent(client, "legacy", null);
    const batch = await readSiemBatch({ db: serializedDb(client), stream: "auth", after: { xactId: 0n, rowId: 0n }, limit: 100 });
    expect(batch.map((record) => (record.body.user as { name: string }).name)).not.toContain("legacy");
  });
});
