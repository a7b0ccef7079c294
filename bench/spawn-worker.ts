import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../lib/testing/free-port";

export type TSpawnBenchWorkerOptions = {
  databaseUrl: string;
  secretKey: string;
  cwd?: string; // another commit's checkout (bench/journal-cost.ts)
  dataDir?: string; // the caller's to remove; when absent one is made and removed on stop
  nodeArgs?: string[]; // after `--import tsx`: instrumentation, CPU profiles
  env?: Record<string, string>;
};

export type TSpawnedWorker = { child: ChildProcess; authPort: number; acctPort: number; healthPort: number; dataDir: string; stop: () => Promise<void> };

// The worker as shipped (worker/main.ts), on free loopback ports, in production mode, without the CoA listeners and
// the Duo-compatible API: both default to fixed ports and would collide with another run. Resolves once it serves.
export const spawnBenchWorker = async (options: TSpawnBenchWorkerOptions): Promise<TSpawnedWorker> => {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(process.env.BENCH_DATA_DIR ?? tmpdir(), "twofold-bench-"));
  const [authPort, acctPort, healthPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, ["--import", "tsx", ...(options.nodeArgs ?? []), "worker/main.ts"], {
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
