import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTestDatabase } from "../lib/testing/test-database";
import { freePort } from "../lib/testing/free-port";
import { consoleBuildIsStale, E2E_DIST_DIR, runToCompletion, startProcess, stopProcess, waitForHttp } from "./support/processes";
import type { TE2eRun } from "./support/state";

const NEXT_BIN = "node_modules/next/dist/bin/next";

// A throwaway PostgreSQL, the console built into its own distDir and served on a free port, and the RADIUS worker
// (when present) on free UDP ports; everything is torn down afterwards.
export default async function globalSetup() {
  const database = await startTestDatabase();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, TWOFOLD_SECRET_KEY: database.secretKey };
  process.env.DATABASE_URL = database.url;
  process.env.TWOFOLD_SECRET_KEY = database.secretKey;
  const { prisma, disconnectPrisma } = await import("../lib/db");
  const { createSetupTokenIfNoAdmin } = await import("../lib/admins/create-setup-token");
  const setupToken = await createSetupTokenIfNoAdmin({ prisma });
  await disconnectPrisma();
  if (!setupToken) throw new Error("a fresh database must have no admin");

  const nextEnv = { ...env, TWOFOLD_NEXT_DIST_DIR: E2E_DIST_DIR, NODE_ENV: "production" as const, NEXT_TELEMETRY_DISABLED: "1" };
  if (consoleBuildIsStale()) await runToCompletion(process.execPath, [NEXT_BIN, "build"], nextEnv);

  const consolePort = await freePort();
  const baseURL = `http://127.0.0.1:${consolePort}`;
  const consoleProcess = startProcess("console", process.execPath, ["--import", "tsx", "scripts/serve-console.ts", "-p", String(consolePort), "-H", "127.0.0.1"], nextEnv);

  let workerProcess: ReturnType<typeof startProcess> | undefined;
  let radiusAuthPort: number | undefined;
  let radiusAcctPort: number | undefined;
  if (existsSync("worker/main.ts")) {
    radiusAuthPort = await freePort();
    radiusAcctPort = await freePort();
    workerProcess = startProcess("worker", process.execPath, ["--import", "tsx", "worker/main.ts"], {
      ...env,
      TWOFOLD_RADIUS_HOST: "127.0.0.1",
      TWOFOLD_RADIUS_AUTH_PORT: String(radiusAuthPort),
      TWOFOLD_RADIUS_ACCT_PORT: String(radiusAcctPort),
      TWOFOLD_COA_PORTS: String(await freePort()), // not the fixed 1700/3799 a real worker on this machine may hold
      TWOFOLD_HEALTH_PORT: String(await freePort()),
      TWOFOLD_API_PORT: String(await freePort()), // the Duo-compatible HTTPS API, not the fixed 8443
      TWOFOLD_API_HOST: "127.0.0.1",
      TWOFOLD_WORKER_ID: "e2e-worker",
      TWOFOLD_DATA_DIR: mkdtempSync(path.join(tmpdir(), "twofold-e2e-worker-")),
    });
  }
  await waitForHttp(`${baseURL}/sign-in`, consoleProcess, 60_000);

  const stateDir = mkdtempSync(path.join(tmpdir(), "twofold-e2e-"));
  const run: TE2eRun = { baseURL, setupToken, stateDir, radiusAuthPort, radiusAcctPort, databaseUrl: database.url, secretKey: database.secretKey };
  writeFileSync(path.join(stateDir, "run.json"), JSON.stringify(run), { mode: 0o600 });
  process.env.TWOFOLD_E2E_STATE_DIR = stateDir;

  return async () => {
    await Promise.all([stopProcess(consoleProcess), stopProcess(workerProcess)]);
    await database.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
}
