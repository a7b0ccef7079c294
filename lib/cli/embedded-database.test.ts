import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedDatabaseUrl, startEmbeddedPostgres, type TEmbeddedDatabase } from "../db/embedded-postgres";
import { applyMigrations } from "../db/migrate";
import { encryptSecret } from "../secrets/envelope";
import { loadOrCreateKeyFile, parseSecretKey } from "../secrets/secret-key";
import { freePort } from "../testing/free-port";
import { runTwofold } from "../testing/run-twofold";

type TDoctor = { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };

// A checkout after `npm start`: no DATABASE_URL, no TWOFOLD_SECRET_KEY, the embedded database and its key under the
// data directory. The CLI uses the server `npm start` runs, and starts (then stops) it only when none runs.
const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-cli-embedded-"));
chmodSync(dataDir, 0o755); // the cluster runs as `postgres` when the tests run as root
let port: number;
let embedded: TEmbeddedDatabase | undefined;
let env: Record<string, string>;

const answers = async (url: string) => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
};

beforeAll(async () => {
  port = await freePort();
  embedded = await startEmbeddedPostgres({ dataDir, port });
  await applyMigrations({ databaseUrl: embedded.url });
  const key = parseSecretKey(loadOrCreateKeyFile(dataDir));
  const client = new pg.Client({ connectionString: embedded.url });
  await client.connect();
  await client.query(`INSERT INTO "Application" (id, name, ikey, skey, "updatedAt") VALUES (gen_random_uuid(), 'embedded-app', 'DIEMBEDDED0000000000', $1, now())`, [encryptSecret("s".repeat(40), key)]);
  await client.end();
  env = {
    TWOFOLD_DATA_DIR: dataDir,
    TWOFOLD_PG_PORT: String(port),
    TWOFOLD_RADIUS_HOST: "127.0.0.1",
    TWOFOLD_RADIUS_AUTH_PORT: String(await freePort()),
    TWOFOLD_RADIUS_ACCT_PORT: String(await freePort()),
    TWOFOLD_HEALTH_PORT: String(await freePort()),
  };
});
afterAll(async () => {
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the CLI in a checkout without DATABASE_URL", { timeout: 180_000 }, () => {
  it("uses the running embedded server and ./.data/secret.key, and leaves the server running", async () => {
    const run = await runTwofold({ args: ["doctor", "--json"], env });
    const report = run.json() as TDoctor;
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(run.code).toBe(0);
    expect(report.checks.find((check) => check.name === "database")?.detail).toContain("(embedded (running))");
    expect(report.checks.find((check) => check.name === "secret key")?.detail).toContain('application "embedded-app" skey');
    expect(await answers(embedded?.url ?? "")).toBe(true);
  });

  it("starts the embedded server for one command when none runs, and stops it again", async () => {
    await embedded?.stop();
    embedded = undefined;
    const url = embeddedDatabaseUrl({ password: readFileSync(path.join(dataDir, "postgres.password"), "utf8").trim(), port });
    expect(await answers(url)).toBe(false);
    const run = await runTwofold({ args: ["doctor", "--json"], env });
    expect(run.code).toBe(0);
    expect((run.json() as TDoctor).checks.find((check) => check.name === "database")?.detail).toContain("(embedded (started for this command))");
    expect(await answers(url)).toBe(false);
    expect(existsSync(path.join(dataDir, "postgres", "data", "postmaster.pid"))).toBe(false);
  });

  it("says what to do when there is neither DATABASE_URL nor an embedded database", async () => {
    const run = await runTwofold({ args: ["admins", "list"], env: { ...env, TWOFOLD_DATA_DIR: path.join(dataDir, "missing") } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("DATABASE_URL is not set and there is no embedded database");
  });
});
