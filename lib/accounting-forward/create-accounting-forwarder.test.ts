import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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
type TWorker = Awaited<ReturnType<typeof startTestWorker>>;
const startWorker = (workerId = WORKER_ID) => startTestWorker({ databaseUrl: db.url, dataDir, workerId, accountingRetryMaxMs: 300, accountingAdoptEveryMs: 200 });
const record = async (index: number, to: TWorker = worker) => {
  const name = `rec-${String(index).padStart(2, "0")}`;
  const reply = await radclient({ port: to.acctPort, secret: NAS_SECRET, command: "acct", attributes: { "User-Name": name, "Acct-Session-Id": `s-${index}` }, rawAttributes: ["Acct-Status-Type = Interim-Update"] });
  // Answered whether or not the upstream is there: the record is stored (journal and forward queue) first.
  expect(reply.code, reply.stdout + reply.stderr).toBe("Accounting-Response");
  return `${name} Interim-Update`;
};
const forwardStats = (of: TWorker = worker) => of.stats().accountingForward as { pending: number; adopted: number };
const drained = (of: TWorker = worker) => waitFor(() => (forwardStats(of).pending === 0 ? true : undefined), { timeoutMs: 15_000 });

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

  it("a worker whose id changed delivers what the old id left queued: every record once, in order", async () => {
    const before = delivered.length;
    const sent: string[] = [];
    // Worker id A spools while the upstream is down, then goes (TWOFOLD_WORKER_ID changed, or one process fewer).
    if (ise) await stopIse();
    await worker.stop();
    worker = await startWorker("acct-forward-id-a");
    for (let index = 21; index <= 27; index += 1) sent.push(await record(index));
    expect(forwardStats().pending).toBe(7);
    await worker.stop();
    // Worker id B starts with the upstream there.
    await startIse();
    worker = await startWorker("acct-forward-id-b");
    expect(await drained()).toBe(true);
    expect(forwardStats().adopted).toBe(7);
    await stopIse();
    expect(delivered.slice(before)).toEqual(sent);
    // Nothing of A's queues is left but its lock file.
    expect(readdirSync(path.join(dataDir, "spool")).filter((file) => file.startsWith("acct-forward-acct-forward-id-a"))).toEqual(["acct-forward-acct-forward-id-a.lock"]);
  }, 60_000);

  it("never takes the queues of a worker that is still running; takes them once it stops", async () => {
    if (ise) await stopIse();
    const before = delivered.length;
    const sent: string[] = [];
    const adopted = forwardStats(worker).adopted;
    const running = await startWorker("acct-forward-live-a");
    try {
      for (let index = 31; index <= 34; index += 1) sent.push(await record(index, running));
      // B looks every 200 ms; A's lock says it is running.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect([forwardStats(running).pending, forwardStats(worker).adopted]).toEqual([4, adopted]);
    } finally {
      await running.stop();
    }
    await waitFor(() => (forwardStats(worker).adopted === adopted + 4 ? true : undefined), { timeoutMs: 10_000 });
    sent.push(await record(35)); // B's own, after what it took over
    await startIse();
    expect(await drained()).toBe(true);
    await stopIse();
    expect(delivered.slice(before)).toEqual(sent);
  }, 60_000);
});
