// `npm run bench:journal`: what journal-before-answer (issue 9, item 8: the reply waits for the fdatasync of the group
// commit holding its event) costs in latency and throughput, on the cheap path (primary none, allow without 2FA:
// every request is one user read and one journaled event). In one run, same load generator, same database:
//   twofold/disk     the worker as shipped, its spool on the real disk
//   twofold/tmpfs    the same worker with its spool on /dev/shm, where fdatasync costs nothing: the difference to
//                    twofold/disk is the disk wait itself
//   answer-first     (BENCH_BASELINE_REF=<git ref>) the worker of that ref: 49a1c90, the last commit before
//                    journal-before-answer, answered first and journaled up to 200 ms later
//   freeradius       FreeRADIUS 3 answering the same user from its users file (no durable log at all), for scale
// BENCH_CONCURRENCY=1,16,64 and BENCH_SECONDS=5 as in bench/run.ts.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import { encryptSecret } from "../lib/secrets/envelope";
import { startFreeRadius } from "../lib/testing/freeradius";
import { startTestDatabase } from "../lib/testing/test-database";
import { measureSteps, type TLoadResult } from "./load-generator";
import { spawnBenchWorker } from "./spawn-worker";

const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? "1,16,64").split(",").map(Number);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const NAS_SECRET = "bench-nas-secret";
const user = { username: "alice", password: "alice-pass" };

const measure = (label: string, port: number): Promise<TLoadResult[]> => measureSteps({ label, port, secret: NAS_SECRET, ...user, concurrency: CONCURRENCY, durationMs: DURATION_MS });

// The worker of another commit, unpacked beside this one (sharing node_modules) with its own Prisma client.
const checkoutRef = (ref: string): string => {
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-bench-ref-"));
  execFileSync("sh", ["-c", `git archive ${JSON.stringify(ref)} | tar -x -C ${JSON.stringify(dir)}`]);
  symlinkSync(path.resolve("node_modules"), path.join(dir, "node_modules"));
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], {
    cwd: dir,
    stdio: "ignore",
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  return dir;
};

const runWorker = async (options: { cwd: string; databaseUrl: string; secretKey: string; dataDir: string }) => {
  const worker = await spawnBenchWorker({ ...options, env: {} });
  return {
    authPort: worker.authPort,
    health: async () => (await fetch(`http://127.0.0.1:${worker.healthPort}/health`)).json() as Promise<{ counters?: { authLog?: unknown } }>,
    stop: async () => {
      await worker.stop();
      rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
};

const main = async () => {
  const database = await startTestDatabase();
  process.env.TWOFOLD_SECRET_KEY = database.secretKey;
  const prisma = createConfigPrisma({ databaseUrl: database.url });
  const application = await prisma.application.create({
    data: { name: "bench-journal", ikey: "BENCHJOURNALBENCHJRN", skey: encryptSecret("x".repeat(40)), primaryAuthMode: "none" },
  });
  await prisma.policy.create({ data: { applicationId: application.id, newUserPolicy: "allow_without_2fa" } });
  await prisma.radiusClient.create({ data: { name: "bench-nas", address: "127.0.0.1", secret: encryptSecret(NAS_SECRET), requireMessageAuthenticator: true, applicationId: application.id } });
  await prisma.$disconnect();

  const runs: { label: string; results: TLoadResult[] }[] = [];
  const cleanups: (() => Promise<void> | void)[] = [() => database.stop()];
  try {
    const variants: { label: string; cwd: string; dataRoot: string }[] = [
      { label: "twofold/disk", cwd: process.cwd(), dataRoot: tmpdir() },
      ...(existsSync("/dev/shm") ? [{ label: "twofold/tmpfs", cwd: process.cwd(), dataRoot: "/dev/shm" }] : []),
    ];
    const ref = process.env.BENCH_BASELINE_REF;
    if (ref) {
      const dir = checkoutRef(ref);
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      variants.push({ label: "answer-first", cwd: dir, dataRoot: tmpdir() });
    }
    for (const variant of variants) {
      const worker = await runWorker({ cwd: variant.cwd, databaseUrl: database.url, secretKey: database.secretKey, dataDir: mkdtempSync(path.join(variant.dataRoot, "twofold-bench-")) });
      try {
        runs.push({ label: variant.label, results: await measure(variant.label, worker.authPort) });
        console.log(`${"".padEnd(14)} authLog ${JSON.stringify((await worker.health()).counters?.authLog ?? {})}`);
      } finally {
        await worker.stop();
      }
    }
    const freeradius = await startFreeRadius({ secret: NAS_SECRET, users: [user], countRequests: false });
    cleanups.push(() => freeradius.stop());
    runs.push({ label: "freeradius", results: await measure("freeradius", freeradius.authPort) });
  } finally {
    for (const step of cleanups.reverse()) await step();
  }

  const reference = runs[0]!;
  console.log(`\n${"".padEnd(14)} ${CONCURRENCY.map((c) => `c=${c} req/s  p50/p99 ms`.padEnd(30)).join("")}`);
  for (const run of runs) {
    const cells = run.results.map((result, index) => {
      const ratio = run === reference ? "" : ` (${(result.rps / reference.results[index]!.rps).toFixed(2)}x)`;
      return `${result.rps.toFixed(0)}${ratio}  ${result.p50Ms.toFixed(2)}/${result.p99Ms.toFixed(2)}`.padEnd(30);
    });
    console.log(`${run.label.padEnd(14)} ${cells.join("")}`);
  }
  console.log(`\n(ratios are throughput relative to ${reference.label})`);
};

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
