import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../worker/test-support/wait-for";
import { listenChannel, type TChannelListener } from "./listen-channel";

// A channel of its own on the run's PostgreSQL; the connection is killed from the server side, as a restart or a
// network cut would leave it.
const channel = `twofold_test_${randomUUID().replaceAll("-", "")}`;
let admin: pg.Client;
let listener: TChannelListener;
const payloads: string[] = [];
const logs: string[] = [];
let reconnects = 0;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  listener = await listenChannel({ databaseUrl: process.env.DATABASE_URL!, channel, onPayload: (payload) => payloads.push(payload), onReconnect: () => (reconnects += 1), log: (line) => logs.push(line), backoff: { minMs: 50, maxMs: 200 } });
});

afterAll(async () => {
  await listener?.stop();
  await admin?.end();
});

describe("one LISTEN connection, kept up", () => {
  it("delivers NOTIFYs, and after its connection is killed reconnects (telling the caller) and delivers again", async () => {
    await admin.query("SELECT pg_notify($1, 'first')", [channel]);
    expect(await waitFor(() => (payloads.includes("first") ? true : undefined), { timeoutMs: 5000 })).toBe(true);
    const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1`, [`LISTEN "${channel}"`]);
    expect(killed.rowCount).toBe(1);
    expect(await waitFor(() => (logs.some((line) => /reconnected/.test(line)) ? true : undefined), { timeoutMs: 10_000 })).toBe(true);
    expect(reconnects).toBeGreaterThanOrEqual(1); // on the loss (re-read now) and again once back
    await admin.query("SELECT pg_notify($1, 'second')", [channel]);
    expect(await waitFor(() => (payloads.includes("second") ? true : undefined), { timeoutMs: 5000 })).toBe(true);
    expect(logs.filter((line) => /connection lost/.test(line))).toHaveLength(1);
  });
});
