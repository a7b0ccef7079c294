import { hostname } from "node:os";
import { readServerEnv } from "../lib/env/server-env";
import { parseSecretKey } from "../lib/secrets/secret-key";
import { startWorker, type TWorker } from "./start-worker";

// `npm run worker` / the start script's child: needs DATABASE_URL and TWOFOLD_SECRET_KEY (the start script passes both).
const log = (line: string) => console.log(`[worker] ${line}`);

let worker: TWorker | undefined;
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

const main = async () => {
  const env = readServerEnv();
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is required for the worker");
  if (!env.TWOFOLD_SECRET_KEY) throw new Error("TWOFOLD_SECRET_KEY is required for the worker");
  parseSecretKey(env.TWOFOLD_SECRET_KEY);
  worker = await startWorker({
    databaseUrl: env.DATABASE_URL,
    host: env.TWOFOLD_RADIUS_HOST,
    authPort: env.TWOFOLD_RADIUS_AUTH_PORT,
    acctPort: env.TWOFOLD_RADIUS_ACCT_PORT,
    healthPort: env.TWOFOLD_HEALTH_PORT,
    healthHost: env.TWOFOLD_HEALTH_HOST,
    // Stable across restarts: the auth-log spool file is named after it.
    workerId: env.TWOFOLD_WORKER_ID ?? `${hostname()}:${env.TWOFOLD_RADIUS_AUTH_PORT}`,
    dataDir: env.TWOFOLD_DATA_DIR,
    userCacheMs: env.TWOFOLD_USER_CACHE_MS,
    enrollmentBaseUrl: env.TWOFOLD_PUBLIC_URL ?? `http://localhost:${env.TWOFOLD_CONSOLE_PORT}`,
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
