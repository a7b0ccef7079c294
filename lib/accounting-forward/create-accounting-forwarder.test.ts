import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";
import { freePort } from "../testing/free-port";
import { startFreeRadius, type TFreeRadius } from "../testing/freeradius";
import { radclient } from "../testing/radclient";
import { startTestWorker } from "../testing/start-test-worker";

// Store-and-forward to the upstream accounting server: FreeRADIUS as ISE's accounting, stopped and started again on
// the same ports; radclient as the ASA. What FreeRADIUS logs, one line per Accounting-Request it took, is the truth.
const NAS_SECRET = "acct-nas-secret";
const ISE_SECRET = "acct-ise-secret";
const WORKER_ID = "acct-forward-test";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let ise: TFreeRadius | undefined;
let ports: { authPort: number; acctPort: number };
const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-acct-forward-"));
const delivered: string[] = []; // every run's lines, in the order FreeRADIUS wrote them

const startIse = async () => {
  ise = await startFreeRadius({ secret: ISE_SECRET, ports });
};
const stopIse = async () => {
  const log = path.join(ise!.dir, "log", "acct-requests.log");
  delivered.push(...readFileSync(log, "utf8").split("\n").filter(Boolean));
  await ise!.stop();
  ise = undefined;
};
const startWorker = () => startTestWorker({ databaseUrl: db.url, dataDir, workerId: WORKER_ID, accountingRetryMaxMs: 300 });
const record = async (index: number) => {
  const name = `rec-${String(index).padStart(2, "0")}`;
  const reply = await radclient({ port: worker.acctPort, secret: NAS_SECRET, command: "acct", attributes: { "User-Name": name, "Acct-Session-Id": `s-${index}` }, rawAttributes: ["Acct-Status-Type = Interim-Update"] });
  // Answered whether or not the upstream is there: the record is stored (journal and forward queue) first.
  expect(reply.code, reply.stdout + reply.stderr).toBe("Accounting-Response");
  return `${name} Interim-Update`;
};
const drained = () => waitFor(() => (worker.stats().accountingForward as { pending: number }).pending === 0 ? true : undefined, { timeoutMs: 15_000 });

beforeAll(async () => {
  db = await createIsolatedDatabase();
  ports = { authPort: await freePort(), acctPort: await freePort() };
  await startIse();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius" });
  await seedUpstream({ prisma: db.prisma, applicationId: application.id, port: ports.authPort, accountingPort: ports.acctPort, secret: ISE_SECRET, position: 0, timeoutMs: 300, retries: 0 });
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: NAS_SECRET });
  worker = await startWorker();
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  if (ise) await stopIse();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("accounting store-and-forward", () => {
  it("delivers every record once, in order, across an upstream outage and a worker restart", async () => {
    const sent: string[] = [];
    for (let index = 1; index <= 3; index += 1) sent.push(await record(index));
    expect(await drained()).toBe(true);
    await stopIse();
    // The upstream is gone: records keep being answered, and wait in the queue.
    for (let index = 4; index <= 10; index += 1) sent.push(await record(index));
    expect((worker.stats().accountingForward as { pending: number }).pending).toBeGreaterThan(0);
    await startIse();
    expect(await drained()).toBe(true);
    // Down again, and the worker itself restarts before the upstream is back: the queue is on disk.
    await stopIse();
    for (let index = 11; index <= 13; index += 1) sent.push(await record(index));
    await worker.stop();
    worker = await startWorker();
    await startIse();
    expect(await drained()).toBe(true);
    await stopIse();
    expect(delivered).toEqual(sent);
  }, 90_000);
});
