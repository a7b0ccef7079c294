import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { embeddedDatabaseUrl, startEmbeddedPostgres } from "../db/embedded-postgres";
import type { TServerEnv } from "../env/server-env";
import type { TCliDatabase } from "./cli-types";
import { createPgClient } from "../db/pg-connection";

export type TCliDatabaseTarget = Pick<TCliDatabase, "databaseUrl" | "secretKey" | "source"> & { stop?: () => Promise<void> };

const answers = async (url: string): Promise<{ ok: true } | { ok: false; error: string }> => {
  const client = createPgClient(url, { connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
};

const runningPid = (pidFile: string): number | undefined => {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined; // a stale file: PostgreSQL removes it itself on the next start
  }
};

// Like the worker: DATABASE_URL and TWOFOLD_SECRET_KEY when set. Otherwise the checkout's embedded database under
// TWOFOLD_DATA_DIR with its key file, as `npm start` (lib/env/resolve-runtime.ts) lays them out: the server `npm start`
// is running is used as it is (a second one on the same data directory would be refused); when none is running this
// command starts it and stops it when done. A key is never generated here: a new key would not open existing secrets.
export const resolveCliDatabase = async (options: { env: TServerEnv }): Promise<TCliDatabaseTarget> => {
  const { env } = options;
  if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL, secretKey: env.TWOFOLD_SECRET_KEY, source: "DATABASE_URL" };
  const dataDir = path.resolve(env.TWOFOLD_DATA_DIR);
  const keyFile = path.join(dataDir, "secret.key");
  const secretKey = env.TWOFOLD_SECRET_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim() : undefined);
  const databaseDir = path.join(dataDir, "postgres", "data");
  const passwordFile = path.join(dataDir, "postgres.password");
  if (!existsSync(path.join(databaseDir, "PG_VERSION")) || !existsSync(passwordFile)) {
    throw new Error(`DATABASE_URL is not set and there is no embedded database in ${dataDir}: run \`npm start\` once, or set DATABASE_URL and TWOFOLD_SECRET_KEY`);
  }
  const port = env.TWOFOLD_PG_PORT;
  const url = embeddedDatabaseUrl({ password: readFileSync(passwordFile, "utf8").trim(), port });
  const probe = await answers(url);
  if (probe.ok) return { databaseUrl: url, secretKey, source: "embedded (running)" };
  const pid = runningPid(path.join(databaseDir, "postmaster.pid"));
  if (pid) throw new Error(`the embedded PostgreSQL in ${dataDir} is running (pid ${pid}) but does not answer on 127.0.0.1:${port} (TWOFOLD_PG_PORT?): ${probe.error}`);
  const embedded = await startEmbeddedPostgres({ dataDir, port });
  return { databaseUrl: embedded.url, secretKey, source: "embedded (started for this command)", stop: embedded.stop };
};
