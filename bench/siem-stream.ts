// `npx tsx bench/siem-stream.ts`: what the SIEM stream (lib/siem) costs the RADIUS path, and how fast it drains.
// In one run, same load generator, same database, the cheap path (primary none, allow without 2FA: one user read and
// one journaled event per request):
//   twofold            the worker as shipped, no SIEM target
//   twofold+siem       the same worker shipping to rsyslog over TLS and to a JSON-lines file while it answers
//   freeradius         FreeRADIUS 3 answering the same user from its users file, for scale
// First the shipper alone (lib/siem/start-siem-shipper.ts): BENCH_SIEM_EVENTS (10 000) rows already in the table,
// drained to each kind of target in turn, events/s. Then, for twofold+siem, how long after its load ended the receiver
// had every event. BENCH_CONCURRENCY=16,64 and BENCH_SECONDS=5.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import { encryptSecret } from "../lib/secrets/envelope";
import pg from "pg";
import { ZSiemTargetsSchema } from "../lib/siem/siem-target-schema";
import { startSiemShipper } from "../lib/siem/start-siem-shipper";
import { startTestRsyslog } from "../lib/siem/start-test-rsyslog";
import { startFreeRadius } from "../lib/testing/freeradius";
import { startTestDatabase } from "../lib/testing/test-database";
import { measureSteps, type TLoadResult } from "./load-generator";
import { spawnBenchWorker } from "./spawn-worker";

const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? "16,64").split(",").map(Number);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const NAS_SECRET = "bench-nas-secret";
const user = { username: "alice", password: "alice-pass" };

const measure = (label: string, port: number): Promise<TLoadResult[]> => measureSteps({ label, port, secret: NAS_SECRET, ...user, concurrency: CONCURRENCY, durationMs: DURATION_MS });

// Rows written straight into the table, shipped by a shipper of this process to one target at a time.
const drainRate = async (options: { databaseUrl: string; rsyslog: Awaited<ReturnType<typeof startTestRsyslog>>; fileDir: string }) => {
  const events = Number(process.env.BENCH_SIEM_EVENTS ?? 10_000);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  await client.query(`INSERT INTO "AuthEvent" ("eventId", "usernameRaw", username, result, reason, "workerId") SELECT gen_random_uuid(), 'u' || g, 'u' || g, 'success', 'allowed_without_2fa', 'bench' FROM generate_series(1, $1) g`, [events]);
  await client.end();
  const ca = readFileSync(options.rsyslog.caFile);
  for (const spec of [`tls://localhost:${options.rsyslog.ports.tls}`, `tcp://127.0.0.1:${options.rsyslog.ports.tcp}`, `udp://127.0.0.1:${options.rsyslog.ports.udp}`, `file://${options.fileDir}/drain.jsonl`]) {
    const [target] = ZSiemTargetsSchema.parse(spec);
    if (!target) continue;
    const started = performance.now();
    const shipper = startSiemShipper({ databaseUrl: options.databaseUrl, targets: [target], facility: "authpriv", hostname: "bench", ca, log: () => undefined, pollMs: 100, electionMs: 100 });
    while ((shipper.stats().targets[target.key]?.shipped ?? 0) < events) await new Promise((resolve) => setTimeout(resolve, 10));
    const seconds = (performance.now() - started) / 1000;
    await shipper.stop();
    console.log(`shipper alone  ${target.kind.padEnd(4)} ${events} events in ${seconds.toFixed(2)} s: ${(events / seconds).toFixed(0)} events/s`);
  }
};

const lineCount = (file: string) => {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean).length;
  } catch {
    return 0;
  }
};

const main = async () => {
  const database = await startTestDatabase();
  process.env.TWOFOLD_SECRET_KEY = database.secretKey;
  const prisma = createConfigPrisma({ databaseUrl: database.url });
  const application = await prisma.application.create({ data: { name: "bench-siem", ikey: "BENCHSIEMBENCHSIEMBS", skey: encryptSecret("x".repeat(40)), primaryAuthMode: "none" } });
  await prisma.policy.create({ data: { applicationId: application.id, newUserPolicy: "allow_without_2fa" } });
  await prisma.radiusClient.create({ data: { name: "bench-nas", address: "127.0.0.1", secret: encryptSecret(NAS_SECRET), requireMessageAuthenticator: true, applicationId: application.id } });
  const rsyslog = await startTestRsyslog();
  const fileDir = mkdtempSync(path.join(tmpdir(), "twofold-bench-siem-"));
  const runs: { label: string; results: TLoadResult[] }[] = [];
  try {
    await drainRate({ databaseUrl: database.url, rsyslog, fileDir });
    const plain = await spawnBenchWorker({ databaseUrl: database.url, secretKey: database.secretKey, env: { TWOFOLD_WORKER_PROCESSES: "1" } });
    try {
      runs.push({ label: "twofold", results: await measure("twofold", plain.authPort) });
    } finally {
      await plain.stop();
    }
    const siemEnv = { TWOFOLD_WORKER_PROCESSES: "1", TWOFOLD_SIEM_TARGETS: `tls://localhost:${rsyslog.ports.tls},file://${fileDir}/events.jsonl`, TWOFOLD_SIEM_CA_FILE: rsyslog.caFile };
    const streaming = await spawnBenchWorker({ databaseUrl: database.url, secretKey: database.secretKey, env: siemEnv });
    try {
      const drained = async () => {
        const stored = await prisma.authEvent.count({ where: { xactId: { not: null } } });
        while (rsyslog.receivedCount("tls") < stored || lineCount(path.join(fileDir, "events.jsonl")) < stored) await new Promise((resolve) => setTimeout(resolve, 50));
        return stored;
      };
      const shippedBefore = await drained(); // the rows above and the first run's, before this worker's load
      runs.push({ label: "twofold+siem", results: await measure("twofold+siem", streaming.authPort) });
      const loadEnded = Date.now();
      const total = await drained();
      const done = Date.now();
      console.log(`${"".padEnd(14)} ${total - shippedBefore} events written under load; the receiver had the last of them ${((done - loadEnded) / 1000).toFixed(2)} s after the load ended`);
    } finally {
      await streaming.stop();
    }
    const freeradius = await startFreeRadius({ secret: NAS_SECRET, users: [user], countRequests: false });
    try {
      runs.push({ label: "freeradius", results: await measure("freeradius", freeradius.authPort) });
    } finally {
      await freeradius.stop();
    }
  } finally {
    await prisma.$disconnect();
    await rsyslog.remove();
    rmSync(fileDir, { recursive: true, force: true });
    await database.stop();
  }
  const reference = runs.find((run) => run.label === "freeradius") ?? runs[0];
  if (!reference) return;
  console.log(`\n${"".padEnd(14)} ${CONCURRENCY.map((c) => `c=${c} req/s  p50/p99 ms`.padEnd(30)).join("")}`);
  for (const run of runs) {
    const cells = run.results.map((result, index) => {
      const base = reference.results[index];
      const ratio = run === reference || !base ? "" : ` (${(result.rps / base.rps).toFixed(2)}x)`;
      return `${result.rps.toFixed(0)}${ratio}  ${result.p50Ms.toFixed(2)}/${result.p99Ms.toFixed(2)}`.padEnd(30);
    });
    console.log(`${run.label.padEnd(14)} ${cells.join("")}`);
  }
  console.log(`\n(ratios are throughput relative to ${reference.label})`);
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
