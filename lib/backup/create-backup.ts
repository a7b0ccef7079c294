import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { createPgClient } from "../db/pg-connection";
import { AppError } from "../errors/app-error";
import { BACKUP_DUMP_FILE, BACKUP_MANIFEST_FILE, BACKUP_SPOOL_DIR, keyFingerprint, sha256File, type TBackupManifest } from "./backup-manifest";
import { libpqConnection } from "./libpq-connection";
import { pgToolMajor, pgToolPath, runPgTool } from "./run-pg-tool";

type TServerFacts = { serverMajor: number; migrations: string[] };

const readServerFacts = async (databaseUrl: string): Promise<TServerFacts> => {
  const client = createPgClient(databaseUrl);
  await client.connect();
  try {
    const version = await client.query<{ server_version_num: string }>("SHOW server_version_num");
    const applied = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    return { serverMajor: Math.floor(Number(version.rows[0]?.server_version_num) / 10_000), migrations: applied.rows.map((row) => row.migration_name) };
  } finally {
    await client.end();
  }
};

// A folder that is new or empty: a backup never mixes with (or overwrites) an older one.
const prepareFolder = async (dir: string) => {
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (existing && existing.length > 0) throw new AppError("CONFLICT", `${dir} is not empty: give a new folder for each backup`);
  await mkdir(path.join(dir, BACKUP_SPOOL_DIR), { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
};

// The spool's files as they are now, each cut after its last complete line: a worker appending while we read leaves
// at most a torn line, which is not an event yet (the worker had not answered the NAS for it).
const copySpool = async (options: { dataDir: string; to: string }): Promise<TBackupManifest["spoolFiles"]> => {
  const from = path.join(options.dataDir, "spool");
  const names = await readdir(from).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? [] : Promise.reject(error)));
  const files: TBackupManifest["spoolFiles"] = [];
  for (const name of names.sort()) {
    // Not the `.owner` tags: restored on another host they would claim the spool for a process that is not there,
    // and keep the worker from adopting (and replaying) it.
    if (name.endsWith(".owner") || !(await stat(path.join(from, name))).isFile()) continue;
    const text = await readFile(path.join(from, name), "utf8");
    const complete = text.slice(0, text.lastIndexOf("\n") + 1);
    await writeFile(path.join(options.to, name), complete, { mode: 0o600 });
    files.push({ name, sha256: await sha256File(path.join(options.to, name)) });
  }
  return files;
};

// pg_dump (custom format: compressed, restorable table by table) of the whole database, the spool of one data folder,
// and a manifest. The secret key is never written here: it is kept apart (README, *Backups*), and the manifest holds
// only its fingerprint so a restore with the wrong key stops before it starts.
export const createBackup = async (options: { databaseUrl: string; secretKey: string; outDir: string; dataDir?: string; pgBinDir?: string; log: (line: string) => void }): Promise<TBackupManifest> => {
  const fingerprint = keyFingerprint(options.secretKey);
  const pgDump = pgToolPath({ name: "pg_dump", binDir: options.pgBinDir });
  const facts = await readServerFacts(options.databaseUrl);
  const pgDumpMajor = await pgToolMajor(pgDump);
  if (pgDumpMajor < facts.serverMajor) {
    throw new AppError("UNAVAILABLE", `pg_dump ${pgDumpMajor} cannot dump PostgreSQL ${facts.serverMajor}: install postgresql-client-${facts.serverMajor} and set TWOFOLD_PG_BIN=/usr/lib/postgresql/${facts.serverMajor}/bin`);
  }
  await prepareFolder(options.outDir);
  const dumpFile = path.join(options.outDir, BACKUP_DUMP_FILE);
  const connection = libpqConnection(options.databaseUrl);
  options.log(`pg_dump ${pgDumpMajor} of PostgreSQL ${facts.serverMajor}, ${facts.migrations.length} migrations applied`);
  const dump = await runPgTool({ tool: pgDump, args: ["--format=custom", "--no-owner", "--no-privileges", `--file=${dumpFile}`, `--dbname=${connection.dbname}`], env: connection.env });
  if (dump.code !== 0) throw new AppError("UNAVAILABLE", `pg_dump failed: ${dump.stderr.trim()}`);
  await chmod(dumpFile, 0o600);
  const spoolFiles = options.dataDir ? await copySpool({ dataDir: options.dataDir, to: path.join(options.outDir, BACKUP_SPOOL_DIR) }) : [];
  if (options.dataDir) options.log(`spool of ${options.dataDir}: ${spoolFiles.length} files`);
  const manifest: TBackupManifest = {
    format: 1,
    createdAt: new Date().toISOString(),
    keyFingerprint: fingerprint,
    serverMajor: facts.serverMajor,
    pgDumpMajor,
    migrations: facts.migrations,
    spoolFiles,
    dumpSha256: await sha256File(dumpFile),
  };
  await writeFile(path.join(options.outDir, BACKUP_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
};
