import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startWorker, type TStartWorkerOptions, type TWorker } from "../../worker/start-worker";

// A worker on ephemeral loopback ports against the test run's database, with its own spool directory.
export const startTestWorker = async (options: Partial<TStartWorkerOptions> = {}): Promise<TWorker & { logs: string[] }> => {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "twofold-worker-"));
  const logs: string[] = [];
  const worker = await startWorker({
    host: "127.0.0.1",
    authPort: 0,
    acctPort: 0,
    heartbeatMs: 1000,
    log: (line) => {
      logs.push(line);
      if (process.env.TWOFOLD_TEST_VERBOSE) console.log(`[worker] ${line}`);
    },
    ...options,
    databaseUrl,
    dataDir,
  });
  return {
    ...worker,
    logs,
    stop: async () => {
      await worker.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
