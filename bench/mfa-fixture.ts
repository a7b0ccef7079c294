import { randomBytes, randomUUID } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Secret } from "otpauth";
import pg from "pg";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import type { TPrisma } from "../lib/db";
import { encryptSecret } from "../lib/secrets/envelope";
import { startFreeRadius, type TFreeRadius } from "../lib/testing/freeradius";
import { startRestartableTestDatabase, type TRestartableTestDatabase } from "../lib/testing/test-database";
import type { TProcessDbStats } from "./instrument-pg";
import type { TMfaLoginUser } from "./mfa-load";
import { processTree } from "./process-cpu";
import { spawnBenchWorker } from "./spawn-worker";

// What the MFA benchmarks share: a PostgreSQL with pg_stat_statements, N users each enrolled with TOTP (plus
// warm-up users), the upstream FreeRADIUS that knows their passwords, and the Twofold worker (dist/worker/main.js, as
// shipped) in front of it, run with the bench-only pg instrumentation and a CPU profile.

export const NAS_SECRET = "bench-nas-secret";
// BENCH_HEAP_SNAPSHOT=1: the worker processes write a heap snapshot here on SIGPWR (bench/hold-pending-pushes.ts
// sends it once the pushes are held); SIGUSR1 would start the inspector and SIGUSR2 is bench/instrument-pg.ts's.
export const HEAP_DIR = path.resolve("bench/results/heap/mixed");
export const UPSTREAM_SECRET = "bench-upstream-secret";

export type TBenchUser = TMfaLoginUser & { totpBase32: string; id: string };

export type TMfaFixture = {
  database: TRestartableTestDatabase;
  prisma: TPrisma;
  upstream: TFreeRadius;
  users: TBenchUser[];
  warmup: TBenchUser[];
  applicationId: string;
  startWorker: () => Promise<TBenchWorker>;
  stop: () => Promise<void>;
};

export type TBenchWorker = {
  authPort: number;
  pid: number;
  dbStats: () => Promise<TProcessDbStats[]>; // one per worker process (SIGUSR2 → $BENCH_STATS_DIR)
  processes: () => number; // node processes of the worker (a supervisor and one per core, or just one)
  rssBytes: () => number; // resident memory of all of them
  stop: () => Promise<string[]>; // resolves with the CPU profiles written (one per process), kept under bench/results/
};

const makeUsers = (prefix: string, count: number): TBenchUser[] =>
  Array.from({ length: count }, (_, i) => {
    const totpKey = randomBytes(20);
    return { id: randomUUID(), username: `${prefix}${String(i).padStart(6, "0")}`, password: `pw-${i}-${randomBytes(3).toString("hex")}`, totpKey, totpBase32: new Secret({ buffer: new Uint8Array(totpKey).buffer }).base32 };
  });

const seedUsers = async (prisma: TPrisma, users: TBenchUser[]) => {
  for (let i = 0; i < users.length; i += 1000) {
    const batch = users.slice(i, i + 1000);
    await prisma.user.createMany({ data: batch.map((user) => ({ id: user.id, username: user.username })) });
    await prisma.authenticator.createMany({ data: batch.map((user) => ({ userId: user.id, kind: "totp" as const, name: "Phone", secret: encryptSecret(user.totpBase32), active: true })) });
  }
};

// pg_stat_statements needs to be preloaded: set it, restart the server, create the extension.
const enableStatements = async (database: TRestartableTestDatabase) => {
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
  await admin.query("ALTER SYSTEM SET pg_stat_statements.track = 'all'");
  await admin.end();
  await database.pause();
  await database.resume();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  await client.end();
};

export const startMfaFixture = async (options: { users: number; warmup: number; factorEntry?: "append" | "challenge" | "both" }): Promise<TMfaFixture> => {
  const database = await startRestartableTestDatabase();
  process.env.TWOFOLD_SECRET_KEY = database.secretKey;
  await enableStatements(database);
  const users = makeUsers("rush", options.users);
  const warmup = makeUsers("warm", options.warmup);
  const upstream = await startFreeRadius({
    secret: UPSTREAM_SECRET,
    users: [...warmup, ...users].map((user) => ({ username: user.username, password: user.password, reply: ['Class := "OU=Engineering;"', "Session-Timeout := 3600"] })),
    countRequests: false,
  });
  const prisma = createConfigPrisma({ databaseUrl: database.url, max: 8 });
  const application = await prisma.application.create({
    data: { name: "bench-vpn", ikey: "BENCHMFABENCHMFA0000", skey: encryptSecret("x".repeat(40)), primaryAuthMode: "radius", factorEntry: options.factorEntry ?? "both" },
  });
  await prisma.policy.create({ data: { applicationId: application.id, newUserPolicy: "deny" } });
  await prisma.primaryAuthServer.create({
    data: { name: "upstream", kind: "radius", applicationId: application.id, host: "127.0.0.1", port: upstream.authPort, secret: encryptSecret(UPSTREAM_SECRET), timeoutMs: 2000, retries: 0 },
  });
  await prisma.radiusClient.create({ data: { name: "bench-nas", address: "127.0.0.1", secret: encryptSecret(NAS_SECRET), requireMessageAuthenticator: true, applicationId: application.id } });
  await seedUsers(prisma, [...warmup, ...users]);
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query("VACUUM ANALYZE");
  await admin.end();

  const workers: TBenchWorker[] = [];
  return {
    database,
    prisma,
    upstream,
    users,
    warmup,
    applicationId: application.id,
    startWorker: async () => {
      const worker = await spawnWorker({ databaseUrl: database.url, secretKey: database.secretKey });
      workers.push(worker);
      return worker;
    },
    stop: async () => {
      for (const worker of workers) await worker.stop();
      await prisma.$disconnect();
      await upstream.stop();
      await database.stop();
    },
  };
};

const spawnWorker = async (options: { databaseUrl: string; secretKey: string }): Promise<TBenchWorker> => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-bench-"));
  const statsDir = path.join(dataDir, "db-stats");
  const profileDir = path.join(dataDir, "profiles");
  mkdirSync(statsDir);
  mkdirSync(profileDir);
  const profile = process.env.BENCH_PROFILE !== "0";
  if (process.env.BENCH_HEAP_SNAPSHOT === "1") mkdirSync(HEAP_DIR, { recursive: true });
  const worker = await spawnBenchWorker({
    databaseUrl: options.databaseUrl,
    secretKey: options.secretKey,
    dataDir,
    preloads: ["bench/instrument-pg.ts"],
    nodeArgs: [...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), ...(process.env.BENCH_HEAP_SNAPSHOT === "1" ? ["--heapsnapshot-signal=SIGPWR", `--diagnostic-dir=${HEAP_DIR}`] : [])],
    env: { TWOFOLD_USER_CACHE_MS: process.env.BENCH_USER_CACHE_MS ?? "0", BENCH_STATS_DIR: statsDir },
  });
  const { child, authPort } = worker;
  const pid = child.pid ?? 0;
  let stopped: Promise<string[]> | undefined;
  // Every process of the worker (one, or a supervisor forking one per core) has the instrumentation (execArgv).
  // Node processes only: under tsx an esbuild service process hangs off the worker too, and each worker process holds
  // its accounting queue's lock through a `flock … cat` child.
  const workerProcesses = () => processTree(pid).filter((proc) => /(^|\/)node$/.test(proc.cmdline.split(" ")[0] ?? "") && !proc.cmdline.includes("esbuild"));
  return {
    authPort,
    pid,
    processes: () => workerProcesses().length,
    rssBytes: () => workerProcesses().reduce((sum, proc) => sum + proc.rssBytes, 0),
    dbStats: async () => {
      const targets = workerProcesses();
      const before = new Map(targets.map((proc) => [proc.pid, readStats(statsDir, proc.pid)?.seq ?? 0]));
      for (const proc of targets) process.kill(proc.pid, "SIGUSR2");
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const current = targets.map((proc) => readStats(statsDir, proc.pid));
        if (current.every((stats, i) => stats && stats.seq > (before.get(targets[i]!.pid) ?? 0))) return current as TProcessDbStats[];
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const missing = targets.filter((proc) => (readStats(statsDir, proc.pid)?.seq ?? 0) <= (before.get(proc.pid) ?? 0));
      throw new Error(`worker processes did not write their database statistics: ${missing.map((proc) => `${proc.pid} ${proc.cmdline}`).join("; ")}`);
    },
    stop: () => (stopped ??= stop()),
  };
  async function stop(): Promise<string[]> {
    await worker.stop();
    // Kept for DevTools under bench/results/profiles/ (git-ignored); the data dir itself goes.
    const kept = readdirSync(profileDir).map((name) => {
      mkdirSync("bench/results/profiles", { recursive: true });
      const target = path.resolve("bench/results/profiles", `${new Date().toISOString().replace(/[:.]/g, "-")}-${name}`);
      copyFileSync(path.join(profileDir, name), target);
      return target;
    });
    rmSync(dataDir, { recursive: true, force: true });
    return kept;
  }
};

const readStats = (dir: string, pid: number): TProcessDbStats | undefined => {
  try {
    return JSON.parse(readFileSync(path.join(dir, `${pid}.json`), "utf8")) as TProcessDbStats;
  } catch {
    return undefined;
  }
};
