import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildSync } from "esbuild";
import { freePort } from "../lib/testing/free-port";
import { buildWorker, workerBundleIsCurrent } from "../scripts/build-worker.mjs";

export type TSpawnBenchWorkerOptions = {
  databaseUrl: string;
  secretKey: string;
  cwd?: string; // another commit's checkout (bench/journal-cost.ts)
  dataDir?: string; // the caller's to remove; when absent one is made and removed on stop
  nodeArgs?: string[]; // Node flags: CPU profiles, heap snapshots
  preloads?: string[]; // TypeScript modules loaded before the worker (bench/instrument-pg.ts), compiled for the bundle
  // "bundle": dist/worker/main.js as production runs it (`npm run build:worker`), the default; "tsx": worker/main.ts
  // from source, the only choice for another commit's checkout (`cwd`). BENCH_RUNTIME overrides.
  runtime?: "bundle" | "tsx";
  env?: Record<string, string>;
};

export type TSpawnedWorker = { child: ChildProcess; authPort: number; acctPort: number; healthPort: number; dataDir: string; stop: () => Promise<void> };

// A preload as plain JavaScript (packages external, as the bundle has them), under dist/bench/.
const compilePreload = (file: string): string => {
  const outfile = path.resolve("dist/bench", `${path.basename(file, ".ts")}.mjs`);
  buildSync({ entryPoints: [file], outfile, bundle: true, format: "esm", platform: "node", target: "node24", packages: "external", logLevel: "warning" });
  return outfile;
};

const benchRuntime = (options: TSpawnBenchWorkerOptions): "bundle" | "tsx" => {
  const wanted = process.env.BENCH_RUNTIME ?? options.runtime ?? (options.cwd ? "tsx" : "bundle");
  if (wanted !== "bundle" && wanted !== "tsx") throw new Error(`BENCH_RUNTIME must be bundle or tsx, not ${wanted}`);
  return wanted;
};

// Node's arguments for the worker in either runtime; exported for benchmarks that start it their own way.
// BENCH_NODE_ARGS adds Node flags to try (e.g. "--max-semi-space-size=4"); every worker process inherits them.
export const benchWorkerArgs = async (options: TSpawnBenchWorkerOptions): Promise<string[]> => {
  const nodeArgs = [...(options.nodeArgs ?? []), ...(process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [])];
  if (benchRuntime(options) === "tsx") return ["--import", "tsx", ...(options.preloads ?? []).flatMap((file) => ["--import", `./${file}`]), ...nodeArgs, "worker/main.ts"];
  if (!workerBundleIsCurrent()) await buildWorker();
  return [...(options.preloads ?? []).flatMap((file) => ["--import", compilePreload(file)]), ...nodeArgs, "dist/worker/main.js"];
};

// The worker as shipped (dist/worker/main.js, or worker/main.ts under tsx), on free loopback ports, in production mode, without the CoA listeners and
// the Duo-compatible API: both default to fixed ports and would collide with another run. Resolves once it serves.
export const spawnBenchWorker = async (options: TSpawnBenchWorkerOptions): Promise<TSpawnedWorker> => {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(process.env.BENCH_DATA_DIR ?? tmpdir(), "twofold-bench-"));
  const [authPort, acctPort, healthPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, await benchWorkerArgs(options), {
    cwd: options.cwd,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      TWOFOLD_SECRET_KEY: options.secretKey,
      TWOFOLD_DATA_DIR: dataDir,
      TWOFOLD_RADIUS_HOST: "127.0.0.1",
      TWOFOLD_RADIUS_AUTH_PORT: String(authPort),
      TWOFOLD_RADIUS_ACCT_PORT: String(acctPort),
      TWOFOLD_COA_PORTS: "",
      TWOFOLD_HEALTH_PORT: String(healthPort),
      TWOFOLD_API_PORT: "off",
      NODE_ENV: "production",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (process.env.BENCH_VERBOSE) process.stdout.write(chunk);
      if (chunk.toString().includes("serving RADIUS")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
  });
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return { child, authPort, acctPort, healthPort, dataDir, stop: () => (stopped ??= stop()) };
};
