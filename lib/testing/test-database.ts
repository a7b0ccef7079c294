import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../db/embedded-postgres";
import { applyMigrations } from "../db/migrate";
import { freePort } from "./free-port";

export type TTestDatabase = { url: string; port: number; dataDir: string; secretKey: string; stop: () => Promise<void> };

// A real, throwaway PostgreSQL per test run (own folder, free port), migrated like production.
export const startTestDatabase = async (): Promise<TTestDatabase> => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-test-"));
  // mkdtemp makes it 0700; the cluster runs as `postgres` when we are root and must reach it.
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const database = await startEmbeddedPostgres({ dataDir, port, persistent: false });
  await applyMigrations({ databaseUrl: database.url });
  return {
    url: database.url,
    port,
    dataDir,
    secretKey: randomBytes(32).toString("base64"),
    stop: async () => {
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export type TRestartableTestDatabase = TTestDatabase & {
  // Stops the server but keeps its data; `resume` starts it again on the same port (for outage tests).
  pause: () => Promise<void>;
  resume: () => Promise<void>;
};

export const startRestartableTestDatabase = async (): Promise<TRestartableTestDatabase> => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-test-"));
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  let database: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined = await startEmbeddedPostgres({ dataDir, port, persistent: true });
  await applyMigrations({ databaseUrl: database.url });
  const url = database.url;
  return {
    url,
    port,
    dataDir,
    secretKey: randomBytes(32).toString("base64"),
    pause: async () => {
      await database?.stop();
      database = undefined;
    },
    resume: async () => {
      if (!database) database = await startEmbeddedPostgres({ dataDir, port, persistent: true });
    },
    stop: async () => {
      await database?.stop();
      database = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
