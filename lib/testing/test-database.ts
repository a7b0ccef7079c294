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
