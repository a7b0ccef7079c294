import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

export type TDebianPostgres = { binDir: string; major: number; port: number; urlFor: (database: string) => string; createDatabase: (name: string) => void; stop: () => void };

// The major of the pg_dump on PATH (Debian's postgresql-client): the server started below is that same major, because
// pg_dump refuses any newer server and the embedded PostgreSQL 18 ships no pg_dump of its own.
export const pathPgDumpMajor = (): number => Number(/\(PostgreSQL\)\s+(\d+)/.exec(execFileSync("pg_dump", ["--version"], { encoding: "utf8" }))?.[1]);

// A throwaway cluster of Debian's PostgreSQL server (package postgresql-<major>) on a free loopback port, with
// password authentication as production has it. Run as root (CI), the server runs as `postgres`.
export const startDebianPostgres = async (): Promise<TDebianPostgres> => {
  const major = pathPgDumpMajor();
  const binDir = `/usr/lib/postgresql/${major}/bin`;
  if (!existsSync(path.join(binDir, "postgres"))) throw new Error(`${binDir}/postgres is missing: apt-get install postgresql-${major}`);
  const root = mkdtempSync(path.join(tmpdir(), "twofold-pg-"));
  const dataDir = path.join(root, "data");
  const password = randomBytes(12).toString("hex");
  const passwordFile = path.join(root, "password");
  writeFileSync(passwordFile, password);
  const asRoot = process.getuid?.() === 0;
  const run = (binary: string, args: string[]) => {
    const command = asRoot ? "runuser" : path.join(binDir, binary);
    const argv = asRoot ? ["-u", "postgres", "--", path.join(binDir, binary), ...args] : args;
    const result = spawnSync(command, argv, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${binary} ${args.join(" ")}: ${result.stderr}${result.stdout}`);
  };
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(root, uid, gid);
    chownSync(passwordFile, uid, gid);
  }
  chmodSync(passwordFile, 0o600);
  run("initdb", ["-D", dataDir, "-U", "twofold", "--auth=scram-sha-256", `--pwfile=${passwordFile}`, "-E", "UTF8", "--locale=C"]);
  const port = await freePort();
  run("pg_ctl", ["-D", dataDir, "-l", path.join(root, "log"), "-w", "-o", `-p ${port} -k ${root} -c listen_addresses=127.0.0.1`, "start"]);
  const urlFor = (database: string) => `postgresql://twofold:${password}@127.0.0.1:${port}/${database}`;
  return {
    binDir,
    major,
    port,
    urlFor,
    createDatabase: (name) => {
      const result = spawnSync(path.join(binDir, "createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "twofold", name], { env: { ...process.env, PGPASSWORD: password }, encoding: "utf8" });
      if (result.status !== 0) throw new Error(`createdb ${name}: ${result.stderr}`);
    },
    stop: () => {
      run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
      rmSync(root, { recursive: true, force: true });
    },
  };
};
