// `npm run bench`: FreeRADIUS proxying to a FreeRADIUS upstream, then Twofold in front of the same upstream, same
// user and attributes, closed-loop load at several concurrencies. Prints req/s, p50/p99 and Twofold's ratio.
// BENCH_USER_CACHE_MS=1000 runs the worker with its optional user-read cache. BENCH_PROFILE=1 writes a V8 CPU profile of the worker to bench/profiles/ (open in Chrome DevTools).
import { mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import { startFreeRadius, UPSTREAM_ATTRIBUTES_ALICE } from "../lib/testing/freeradius";
import { startTestDatabase } from "../lib/testing/test-database";
import { encryptSecret } from "../lib/secrets/envelope";
import { measureSteps, type TLoadResult } from "./load-generator";
import { spawnBenchWorker } from "./spawn-worker";
import { summarizeProfile } from "./summarize-profile";

const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? "1,16,64").split(",").map(Number);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
const NAS_SECRET = "bench-nas-secret";
const UPSTREAM_SECRET = "bench-upstream-secret";
const user = { username: "alice", password: "alice-pass" };

const measure = (label: string, port: number): Promise<TLoadResult[]> => measureSteps({ label, port, secret: NAS_SECRET, ...user, concurrency: CONCURRENCY, durationMs: DURATION_MS });

const main = async () => {
  const database = await startTestDatabase();
  process.env.TWOFOLD_SECRET_KEY = database.secretKey;
  const upstream = await startFreeRadius({ secret: UPSTREAM_SECRET, users: [{ ...user, reply: UPSTREAM_ATTRIBUTES_ALICE }] });
  const proxy = await startFreeRadius({ secret: NAS_SECRET, mode: "proxy", proxyTo: { host: "127.0.0.1", authPort: upstream.authPort, secret: UPSTREAM_SECRET } });
  const prisma = createConfigPrisma({ databaseUrl: database.url });
  const application = await prisma.application.create({
    data: { name: "bench", ikey: "BENCHBENCHBENCHBENCH", skey: encryptSecret("x".repeat(40)), primaryAuthMode: "radius" },
  });
  await prisma.policy.create({ data: { applicationId: application.id, newUserPolicy: "allow_without_2fa" } });
  await prisma.primaryAuthServer.create({
    data: { name: "upstream", kind: "radius", applicationId: application.id, host: "127.0.0.1", port: upstream.authPort, secret: encryptSecret(UPSTREAM_SECRET), timeoutMs: 2000, retries: 0 },
  });
  await prisma.radiusClient.create({ data: { name: "bench-nas", address: "127.0.0.1", secret: encryptSecret(NAS_SECRET), requireMessageAuthenticator: true, applicationId: application.id } });
  await prisma.$disconnect();

  const profileDir = path.resolve("bench/profiles");
  if (process.env.BENCH_PROFILE) mkdirSync(profileDir, { recursive: true });
  const worker = await spawnBenchWorker({
    databaseUrl: database.url,
    secretKey: database.secretKey,
    nodeArgs: process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
    env: { TWOFOLD_USER_CACHE_MS: process.env.BENCH_USER_CACHE_MS ?? "0" },
  });
  const authPort = worker.authPort;

  try {
    console.log(`upstream FreeRADIUS :${upstream.authPort}; ${DURATION_MS / 1000}s per step`);
    const baseline = await measure("freeradius", proxy.authPort);
    const twofold = await measure("twofold", authPort);
    console.log("\nconcurrency  FreeRADIUS req/s  Twofold req/s  ratio   Twofold p50/p99 ms   FreeRADIUS p50/p99 ms");
    baseline.forEach((base, index) => {
      const ours = twofold[index]!;
      console.log(
        `${String(base.concurrency).padStart(11)}  ${base.rps.toFixed(0).padStart(16)}  ${ours.rps.toFixed(0).padStart(13)}  ${(ours.rps / base.rps).toFixed(2).padStart(5)}   ${ours.p50Ms.toFixed(2)}/${ours.p99Ms.toFixed(2)}`.padEnd(75) +
          `${base.p50Ms.toFixed(2)}/${base.p99Ms.toFixed(2)}`,
      );
    });
  } finally {
    await worker.stop();
    await proxy.stop();
    await upstream.stop();
    await database.stop();
  }
  if (process.env.BENCH_PROFILE) {
    const profiles = readdirSync(profileDir).filter((name) => name.endsWith(".cpuprofile")).map((name) => path.join(profileDir, name));
    const largest = profiles.sort((a, b) => statSync(b).size - statSync(a).size)[0];
    if (largest) console.log(`\nworker CPU profile ${largest} (whole run; idle excluded):\n${summarizeProfile(largest)}`);
  }
};

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
