import { hash } from "@node-rs/argon2";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZSiemTargetsSchema } from "../lib/siem/siem-target-schema";
import { startTestRsyslog, type TReceived, type TRsyslogInput } from "../lib/siem/start-test-rsyslog";
import { radclient } from "../lib/testing/radclient";
import { sendAccessRequests } from "../lib/testing/send-access-requests";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { setUserStatus } from "../lib/users/set-user-status";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedClient } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";

const SECRET = "siem-secret";
const BATCH = 20;
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let rsyslog: Awaited<ReturnType<typeof startTestRsyslog>>;
let fileDir: string;
let siem: Parameters<typeof startTestWorker>[0] extends infer T ? (T extends { siem?: infer S } ? NonNullable<S> : never) : never;
const workers: Awaited<ReturnType<typeof startTestWorker>>[] = [];

type TShipped = { stream: string; id: string; body: Record<string, unknown>; pri?: string; msgid?: string };
const sdParam = (sd: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(sd)?.[1] ?? "";
const fromSyslog = (row: TReceived): TShipped => ({ stream: sdParam(row.sd, "stream"), id: sdParam(row.sd, "id"), body: JSON.parse(row.msg) as Record<string, unknown>, pri: row.pri, msgid: row.msgid });
const shipped = (input: TRsyslogInput | "file"): TShipped[] => {
  if (input !== "file") return rsyslog.received(input).map(fromSyslog);
  const file = path.join(fileDir, "events.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => {
    const body = JSON.parse(line) as Record<string, unknown> & { siem: { stream: string; id: string } };
    return { stream: body.siem.stream, id: body.siem.id, body };
  });
};
const keys = (list: TShipped[]) => list.map((item) => `${item.stream}:${item.id}`);
// The auth log reaches the table shortly after the NAS is answered (journal first): wait for at least `min` rows.
const allIds = async (min = 0): Promise<string[]> => (await waitFor(async () => {
  const ids = await storedIds();
  return ids.length >= min ? ids : undefined;
}, { timeoutMs: 30_000 })) ?? storedIds();
const storedIds = async (): Promise<string[]> => {
  const auth = await db.prisma.authEvent.findMany({ where: { xactId: { not: null } }, select: { id: true } });
  const audit = await db.prisma.adminAuditEvent.findMany({ where: { xactId: { not: null } }, select: { id: true } });
  return [...auth.map((row) => `auth:${row.id}`), ...audit.map((row) => `audit:${row.id}`)].sort();
};
// Every stored event present at least once on `input`.
const waitShipped = async (input: TRsyslogInput | "file", expected: string[], timeoutMs = 60_000) =>
  waitFor(() => {
    const seen = new Set(keys(shipped(input)));
    return expected.every((key) => seen.has(key)) ? true : undefined;
  }, { timeoutMs, intervalMs: 200 });
const duplicates = (list: string[]) => list.length - new Set(list).size;
const burst = (port: number, prefix: string, count: number) =>
  sendAccessRequests({ secret: SECRET, requests: Array.from({ length: count }, (_, index) => ({ port, username: `${prefix}-${index}`, password: "wrong" })) });

beforeAll(async () => {
  db = await createIsolatedDatabase();
  rsyslog = await startTestRsyslog();
  fileDir = mkdtempSync(path.join(tmpdir(), "twofold-siem-file-"));
  siem = {
    targets: ZSiemTargetsSchema.parse(`udp://127.0.0.1:${rsyslog.ports.udp},tcp://127.0.0.1:${rsyslog.ports.tcp},tls://localhost:${rsyslog.ports.tls},file://${fileDir}/events.jsonl`),
    caFile: rsyslog.caFile,
    facility: "local4",
    pollMs: 200,
    electionMs: 300,
    retryMaxMs: 1000,
    batchSize: BATCH,
  };
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local" });
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: SECRET });
  workers.push(await startTestWorker({ databaseUrl: db.url, siem }));
}, 120_000);

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await rsyslog?.remove();
  if (fileDir) rmSync(fileDir, { recursive: true, force: true });
  await db?.drop();
});

describe("SIEM stream", () => {
  it("delivers radclient logins and an audited admin change to rsyslog over UDP, TCP and TLS and to the file, in Duo's field names", { timeout: 120_000 }, async () => {
    const worker = workers[0];
    if (!worker) throw new Error("no worker");
    const application = await db.prisma.application.findFirstOrThrow();
    const username = `alice-${application.id.slice(0, 6)}`;
    const user = await db.prisma.user.create({ data: { username, passwordHash: await hash("correct horse") } });
    const accept = await radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": `DOMAIN\\${username.toUpperCase()}`, "User-Password": "correct horse", "Calling-Station-Id": "198.51.100.7" }, timeoutSec: 20 });
    expect(accept.code, accept.stdout).toBe("Access-Accept");
    const wrong = await radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": username, "User-Password": "nope" }, timeoutSec: 20 });
    expect(wrong.code).toBe("Access-Reject");
    await setUserStatus({ prisma: db.prisma, actor: { email: "owner@example.test", ip: "192.0.2.9" }, id: user.id, status: "disabled" });
    // Hostile names: a forged syslog header after a newline, and invalid UTF-8. Each must stay one message.
    await sendAccessRequests({ secret: SECRET, requests: [
      { port: worker.authPort, username: Buffer.from("mallory\n<13>1 - forged - - - [x@1 id=\"9\"] hi"), password: "x" },
      { port: worker.authPort, username: Buffer.from([0x62, 0x6f, 0x62, 0xff, 0xfe]), password: "x" },
    ] });
    const expected = await waitFor(async () => {
      const ids = await allIds();
      return ids.length >= 5 ? ids : undefined;
    }, { timeoutMs: 10_000 });
    expect(expected?.length).toBe(5);
    for (const input of ["udp", "tcp", "tls", "file"] as const) {
      expect(await waitShipped(input, expected ?? []), `${input}: ${JSON.stringify(keys(shipped(input)))}\n${rsyslog.stderr()}`).toBe(true);
      const list = shipped(input);
      expect(keys(list).sort(), input).toEqual(expected); // nothing else arrived: no forged message
      const accepted = list.find((item) => item.body.result === "success");
      expect(accepted?.body, input).toMatchObject({
        eventtype: "authentication",
        event_type: "authentication",
        result: "success",
        user: { name: username, key: user.id },
        access_device: { ip: "198.51.100.7" },
        application: { key: application.ikey, name: application.name },
        factor: expect.any(String),
        reason: expect.any(String),
        txid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(list.find((item) => item.body.result === "denied" && (item.body.user as { name: string }).name === username), input).toBeDefined();
      const audit = list.find((item) => item.stream === "audit");
      expect(audit?.body, input).toMatchObject({ eventtype: "administrator", action: "user.disable", username: "owner@example.test", object: user.id });
      const description = JSON.parse(String(audit?.body.description)) as { before: { status: string }; after: { status: string }; ip: string };
      expect(description).toMatchObject({ before: { status: "active" }, after: { status: "disabled" }, ip: "192.0.2.9" });
      expect(JSON.stringify(list)).not.toContain("$argon2");
      if (input !== "file") {
        // local4 (20) * 8 + info (6) for an accept, notice (5) for the audit event.
        expect(list.find((item) => item.body.result === "success")?.pri).toBe("166");
        expect(audit?.pri).toBe("165");
        expect(audit?.msgid).toBe("administrator");
      }
      // Refused before the primary (invalid_username): Duo's user.name is empty, the bytes sent are under twofold, escaped.
      const raw = list.map((item) => (item.body.twofold as { username_raw?: string } | undefined)?.username_raw ?? "");
      expect(raw, input).toContain('mallory\\x0a<13>1 - forged - - - [x@1 id="9"] hi');
      expect(raw, input).toContain("bob\\xff\\xfe");
    }
    const cursors = await db.prisma.siemCursor.findMany();
    expect(cursors).toHaveLength(8); // 4 targets × 2 streams
  });

  it("survives the receiver stopping mid-stream: after its restart every event is there, duplicates only of a batch in flight", { timeout: 240_000 }, async () => {
    const worker = workers[0];
    if (!worker) throw new Error("no worker");
    const before = { tcp: shipped("tcp").length, tls: shipped("tls").length };
    const initial = (await storedIds()).length;
    const sending = (async () => {
      for (let round = 0; round < 6; round += 1) await burst(worker.authPort, `outage-${round}`, 40);
    })();
    // Stop rsyslog once some of the burst has arrived, while the rest is still being shipped.
    expect(await waitFor(() => (shipped("tcp").length > before.tcp + BATCH ? true : undefined), { timeoutMs: 60_000, intervalMs: 20 })).toBe(true);
    await rsyslog.stop();
    await sending;
    await new Promise((resolve) => setTimeout(resolve, 2000)); // the shipper fails against a closed port meanwhile
    const stalled = shipped("tcp").length;
    expect(worker.stats()).toMatchObject({ siem: { leader: true } });
    await rsyslog.start();
    const expected = await allIds(initial + 240);
    expect(expected.length).toBeGreaterThanOrEqual(initial + 240);
    for (const input of ["tcp", "tls", "file"] as const) {
      expect(await waitShipped(input, expected, 120_000), `${input} is missing events after the restart`).toBe(true);
      // At-least-once: only a batch the receiver took but whose close never came back may repeat (one per stream).
      expect(duplicates(keys(shipped(input))), input).toBeLessThanOrEqual(2 * BATCH);
    }
    expect(shipped("tcp").length).toBeGreaterThan(stalled);
    expect(before.tls).toBeGreaterThan(0);
  });

  it("with two workers, one ships (each event once); when it stops the other takes over from the stored cursor", { timeout: 240_000 }, async () => {
    const first = workers[0];
    if (!first) throw new Error("no worker");
    const second = await startTestWorker({ databaseUrl: db.url, siem });
    workers.push(second);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // several election rounds
    const leaders = workers.filter((worker) => (worker.stats().siem as { leader?: boolean } | undefined)?.leader === true);
    expect(leaders).toHaveLength(1);
    const baseline = new Set(keys(shipped("tcp")));
    const initial = (await storedIds()).length;
    await burst(first.authPort, "pair-a", 50);
    await burst(second.authPort, "pair-b", 50);
    let expected = await allIds(initial + 100);
    expect(expected.length).toBeGreaterThanOrEqual(initial + 100);
    expect(await waitShipped("tcp", expected)).toBe(true);
    const fresh = keys(shipped("tcp")).filter((key) => !baseline.has(key));
    expect(fresh.length).toBeGreaterThanOrEqual(100);
    expect(duplicates(fresh)).toBe(0);
    // The leader stops (a rolling restart): the follower is elected and resumes where the cursor says.
    const leader = leaders[0];
    const follower = workers.find((worker) => worker !== leader);
    if (!leader || !follower) throw new Error("no leader");
    await leader.stop();
    workers.splice(workers.indexOf(leader), 1);
    const beforeHandover = new Set(keys(shipped("tcp")));
    await burst(follower.authPort, "handover", 60);
    expected = await allIds(initial + 160);
    expect(expected.length).toBeGreaterThanOrEqual(initial + 160);
    expect(await waitShipped("tcp", expected)).toBe(true);
    const afterHandover = keys(shipped("tcp")).filter((key) => !beforeHandover.has(key));
    expect(afterHandover.length).toBeGreaterThanOrEqual(60);
    expect(duplicates(afterHandover)).toBe(0);
    expect(follower.stats()).toMatchObject({ siem: { leader: true } });
  });

  it("when the shipper's database session dies (a crashed host), another is elected and nothing is lost", { timeout: 240_000 }, async () => {
    workers.push(await startTestWorker({ databaseUrl: db.url, siem }));
    const [one, two] = workers;
    if (!one || !two) throw new Error("two workers expected");
    const before = keys(shipped("tcp")).length;
    const initial = (await storedIds()).length;
    const sending = burst(one.authPort, "crash", 120);
    await waitFor(() => (keys(shipped("tcp")).length > before ? true : undefined), { timeoutMs: 60_000, intervalMs: 20 });
    // The session holding the advisory lock is killed, as when its host loses power: its lock goes with it.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const killed = await admin.query(`SELECT pg_terminate_backend(pid) AS done FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    await admin.end();
    expect(killed.rowCount).toBe(1);
    await sending;
    const expected = await allIds(initial + 120);
    expect(expected.length).toBeGreaterThanOrEqual(initial + 120);
    expect(await waitShipped("tcp", expected, 120_000)).toBe(true);
    const fresh = keys(shipped("tcp")).slice(before);
    expect(new Set(fresh).size).toBeGreaterThanOrEqual(120);
    expect(duplicates(fresh)).toBeLessThanOrEqual(2 * BATCH); // at most the batches in flight when the session died
    const leaders = await waitFor(() => {
      const found = workers.filter((worker) => (worker.stats().siem as { leader?: boolean } | undefined)?.leader === true);
      return found.length === 1 ? found : undefined;
    }, { timeoutMs: 10_000 });
    expect(leaders).toHaveLength(1);
  });
});
