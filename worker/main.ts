import { availableParallelism } from "node:os";
import { readServerEnv } from "../lib/env/server-env";
import { createLogger } from "../lib/log/create-logger";
import { lineLog } from "../lib/log/line-log";
import { probeReusePort } from "./reuse-port";
import { startWorkerPool } from "./start-worker-pool";
import { workerOptionsFromEnv } from "./worker-options";

// `npm run worker` / the start script's child: needs DATABASE_URL and TWOFOLD_SECRET_KEY (the start script passes both).
// One process per core by default (TWOFOLD_WORKER_PROCESSES), all on the same ports; one process where Node cannot
// share a UDP port (before Node 22.12/23.1).
// JSON lines (pretty in a terminal); TWOFOLD_LOG_LEVEL sets the level.
const logger = createLogger({ name: "worker" });
const log = lineLog(logger);

let worker: { stop: () => Promise<void> } | undefined;
let stopRequested: string | undefined;

const shutdown = (signal: string) => {
  if (stopRequested) return;
  stopRequested = signal;
  // A signal during start is honoured once start finishes (main() checks stopRequested).
  if (!worker) return;
  log(`${signal}: closing sockets, flushing the auth log`);
  worker.stop().then(
    () => process.exit(0),
    (error) => {
      log(`stop failed: ${String(error)}`);
      process.exit(1);
    },
  );
};

// Installed before anything starts, so a SIGTERM right after start never takes the default (unclean) exit.
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));

const processCount = async (requested: number): Promise<number> => {
  if (requested === 1) return 1;
  const support = await probeReusePort();
  if (support.ok) return requested;
  log(`serving with one process instead of ${requested}: ${support.why}`);
  return 1;
};

const main = async () => {
  const env = readServerEnv();
  const options = workerOptionsFromEnv({ env, log });
  const processes = await processCount(env.TWOFOLD_WORKER_PROCESSES ?? availableParallelism());
  // The primary of several processes only supervises: it does not load the worker (Prisma, pools) itself.
  worker =
    processes === 1
      ? await (await import("./start-worker")).startWorker({ ...options, logger: logger.child({ workerId: options.workerId }), log: lineLog(logger.child({ workerId: options.workerId })) })
      : await startWorkerPool({
          processes,
          workerId: options.workerId,
          host: options.host ?? "0.0.0.0",
          authPort: options.authPort,
          acctPort: options.acctPort,
          healthPort: options.healthPort,
          healthHost: options.healthHost,
          databaseUrl: options.databaseUrl,
          log,
        });
  if (stopRequested) {
    const signal = stopRequested;
    stopRequested = undefined;
    shutdown(signal);
  }
};

main().catch((error) => {
  log(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
