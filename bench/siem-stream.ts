// `npx tsx bench/siem-stream.ts`: what the SIEM stream (lib/siem) costs the RADIUS path, and how fast it drains.
// In one run, same load generator, same database, the cheap path (primary none, allow without 2FA: one user read and
// one journaled event per request):
//   twofold            the worker as shipped, no SIEM target
//   twofold+siem       the same worker shipping to rsyslog over TLS and to a JSON-lines file while it answers
//   freeradius         FreeRADIUS 3 answering the same user from its users file, for scale
// Then, for twofold+siem: how long after the load ended the receiver had every event (the backlog), and the rate the
// shipper moved events over the whole run. BENCH_CONCURRENCY=16,64 and BENCH_SECONDS=5.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import { encryptSecret } from "../lib/secrets/envelope";
import { startTestRsyslog } from "../lib/siem/start-test-rsyslog";
import { startFreeRadius } from "../lib/testing/freeradius";
import { startTestDatabase } from "../lib/testing/test-database";
import { runLoad, type TLoadResult } from "./load-generator";
import { spawnBenchWorker } from "./spawn-worker";

const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? "16,64").split(",").map(Number);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const NAS_SECRET = "bench-nas-secret";
const user = { username: "alice", password: "alice-pass" };

const measure = async (label: string, port: number): Promise<TLoadResult[]> => {
  await runLoad({ host: "127.0.0.1", port, secret: NAS_SECRET, ...user, concurrency: 8, durationMs: 1500, maxPackets: 50_000 }); // warm-up
  const results: TLoadResult[] = [];
  for (const concurrency of CONCURRENCY) {
    const result = await runLoad({ host: "127.0.0.1", port, secret: NAS_SECRET, ...user, concurrency, durationMs: DURATION_MS });
    console.log(`${label.padEnd(14)} c=${String(concurrency).padStart(3)}  ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  timeouts ${result.timeouts}`);
    results.push(result);
  }
  return results;
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
    const plain = await spawnBenchWorker({ databaseUrl: database.url, secretKey: database.secretKey, env: { TWOFOLD_WORKER_PROCESSES: "1" } });
    try {
      runs.push({ label: "twofold", results: await measure("twofold", plain.authPort) });
    } finally {
      await plain.stop();
    }
    // Only what the streaming worker writes is counted: the cursors start at the beginning, so ship the earlier rows
    // first and time only the new ones.
    const siemEnv = { TWOFOLD_WORKER_PROCESSES: "1", TWOFOLD_SIEM_TARGETS: `tls://localhost:${rsyslog.ports.tls},file://${fileDir}/events.jsonl`, TWOFOLD_SIEM_CA_FILE: rsyslog.caFile };
    const streaming = await spawnBenchWorker({ databaseUrl: database.url, secretKey: database.secretKey, env: siemEnv });
    try {
      const drained = async () => {
        const stored = await prisma.authEvent.count({ where: { xactId: { not: null } } });
        while (rsyslog.received("tls").length < stored || lineCount(path.join(fileDir, "events.jsonl")) < stored) await new Promise((resolve) => setTimeout(resolve, 50));
        return stored;
      };
      const shippedBefore = await drained();
      const started = Date.now();
      runs.push({ label: "twofold+siem", results: await measure("twofold+siem", streaming.authPort) });
      const loadEnded = Date.now();
      const total = await drained();
      const done = Date.now();
      const events = total - shippedBefore;
      console.log(`${"".padEnd(14)} shipped ${events} events to TLS and file; backlog at load end drained in ${((done - loadEnded) / 1000).toFixed(2)} s; ${(events / ((done - started) / 1000)).toFixed(0)} events/s over the run`);
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
