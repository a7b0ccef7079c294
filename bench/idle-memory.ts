// `npm run bench:memory`: resident memory of an idle worker host as `npm run worker` runs it (a supervisor and
// BENCH_PROCESSES worker processes, default 2), from the bundle (dist/worker, what production runs) and from source
// under tsx, side by side against the same empty database. Memory is not distorted by other load on the machine.
// BENCH_HEAP_SNAPSHOT=1 also writes a heap snapshot of each worker process under bench/results/heap/ (on SIGPWR:
// SIGUSR1 starts the inspector and SIGUSR2 is bench/instrument-pg.ts's).
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { startTestDatabase } from "../lib/testing/test-database";
import { processTree } from "./process-cpu";
import { spawnBenchWorker } from "./spawn-worker";

const PROCESSES = process.env.BENCH_PROCESSES ?? "2";
const SETTLE_MS = 8000; // start-up garbage collected, snapshot loaded, timers running

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

// RSS counts the node binary's pages in every process although the kernel keeps them once; PSS shares them out and
// "anonymous" is what the process itself allocated (heaps, code, buffers): the part that grows with load.
const smaps = (pid: number) => {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0) * 1024;
  return { pss: kb("Pss"), anonymous: kb("Anonymous") };
};

const measure = async (runtime: "bundle" | "tsx", databaseUrl: string, secretKey: string) => {
  const heapDir = path.resolve("bench/results/heap", runtime);
  const snapshot = process.env.BENCH_HEAP_SNAPSHOT === "1";
  if (snapshot) mkdirSync(heapDir, { recursive: true });
  const worker = await spawnBenchWorker({
    databaseUrl,
    secretKey,
    runtime,
    nodeArgs: snapshot ? ["--heapsnapshot-signal=SIGPWR", `--diagnostic-dir=${heapDir}`] : [],
    env: { TWOFOLD_WORKER_PROCESSES: PROCESSES },
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const procs = processTree(worker.child.pid ?? 0);
    if (snapshot) {
      for (const proc of procs.filter((candidate) => candidate.cmdline.includes("worker-process"))) process.kill(proc.pid, "SIGPWR");
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
    const esbuild = procs.filter((proc) => proc.cmdline.includes("esbuild"));
    const total = procs.reduce((sum, proc) => sum + proc.rssBytes, 0);
    const memory = procs.map((proc) => ({ ...proc, ...smaps(proc.pid) }));
    const pss = memory.reduce((sum, proc) => sum + proc.pss, 0);
    console.log(
      `${runtime.padEnd(6)} RSS ${mb(total)}, PSS ${mb(pss)} in ${procs.length} processes: ${memory.filter((proc) => !proc.cmdline.includes("esbuild")).map((proc) => `${proc.cmdline.includes("worker-process") ? "worker" : "supervisor"} ${mb(proc.rssBytes)} (anonymous ${mb(proc.anonymous)})`).join(", ")}` +
        (esbuild.length > 0 ? `, esbuild services ${esbuild.map((proc) => mb(proc.rssBytes)).join(" + ")}` : ""),
    );
    return total;
  } finally {
    await worker.stop();
  }
};

const main = async () => {
  const database = await startTestDatabase();
  try {
    console.log(`idle worker host, TWOFOLD_WORKER_PROCESSES=${PROCESSES}, resident memory after ${SETTLE_MS / 1000} s:`);
    const tsx = await measure("tsx", database.url, database.secretKey);
    const bundle = await measure("bundle", database.url, database.secretKey);
    console.log(`bundle / tsx: ${(bundle / tsx).toFixed(2)} (${mb(tsx - bundle)} less)`);
  } finally {
    await database.stop();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
