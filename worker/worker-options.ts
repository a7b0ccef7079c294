import { hostname } from "node:os";
import type { TServerEnv } from "../lib/env/server-env";
import { parseSecretKey } from "../lib/secrets/secret-key";
import { apiConfigFromEnv } from "./api-config-from-env";
import { siemConfigFromEnv } from "./siem-config-from-env";
import type { TStartWorkerOptions } from "./start-worker";

// What `npm run worker` serves, from the environment: used as is by a single process, and by each of the processes
// of a multi-process host (worker/worker-process.ts), which override ports, id, pools and health.
export const workerOptionsFromEnv = (options: { env: TServerEnv; log: (line: string) => void }): TStartWorkerOptions & { workerId: string } => {
  const { env } = options;
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is required for the worker");
  if (!env.TWOFOLD_SECRET_KEY) throw new Error("TWOFOLD_SECRET_KEY is required for the worker");
  parseSecretKey(env.TWOFOLD_SECRET_KEY);
  return {
    databaseUrl: env.DATABASE_URL,
    host: env.TWOFOLD_RADIUS_HOST,
    authPort: env.TWOFOLD_RADIUS_AUTH_PORT,
    acctPort: env.TWOFOLD_RADIUS_ACCT_PORT,
    coaPorts: env.TWOFOLD_COA_PORTS, // CoA/Disconnect from ISE (lib/coa)
    healthPort: env.TWOFOLD_HEALTH_PORT,
    healthHost: env.TWOFOLD_HEALTH_HOST,
    // Stable across restarts: the auth-log spool file is named after it.
    workerId: env.TWOFOLD_WORKER_ID ?? `${hostname()}:${env.TWOFOLD_RADIUS_AUTH_PORT}`,
    dataDir: env.TWOFOLD_DATA_DIR,
    userCacheMs: env.TWOFOLD_USER_CACHE_MS,
    enrollmentBaseUrl: env.TWOFOLD_PUBLIC_URL ?? `http://localhost:${env.TWOFOLD_CONSOLE_PORT}`,
    api: apiConfigFromEnv(env), // the Duo-compatible HTTPS API (worker/api-server.ts)
    siem: siemConfigFromEnv(env), // TWOFOLD_SIEM_TARGETS (worker/siem-shipper.ts)
    log: options.log,
  };
};
