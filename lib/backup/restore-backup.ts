import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createConfigPrisma } from "../config/create-config-prisma";
import { applyMigrations } from "../db/migrate";
import { createPgClient } from "../db/pg-connection";
import { checkSecretKey } from "../doctor/check-secret-key";
import { AppError } from "../errors/app-error";
import { BACKUP_DUMP_FILE, BACKUP_MANIFEST_FILE, BACKUP_SPOOL_DIR, keyFingerprint, sha256File, ZBackupManifestSchema, type TBackupManifest } from "./backup-manifest";
import { libpqConnection } from "./libpq-connection";
import { pgToolMajor, pgToolPath, runPgTool } from "./run-pg-tool";

const readManifest = async (fromDir: string): Promise<TBackupManifest> => {
  const text = await readFile(path.join(fromDir, BACKUP_MANIFEST_FILE), "utf8").catch(() => {
    throw new AppError("VALIDATION", `${fromDir} has no ${BACKUP_MANIFEST_FILE}: not a folder scripts/backup.ts wrote`);
  });
  const parsed = ZBackupManifestSchema.safeParse((() => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  })());
  if (!parsed.success) throw new AppError("VALIDATION", `${BACKUP_MANIFEST_FILE} is damaged: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
  return parsed.data;
};

// Only into an empty database: a restore that merged into live data would be neither the backup nor the present.
const assertEmpty = async (databaseUrl: string) => {
  const client = createPgClient(databaseUrl);
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) AS count FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`,
    );
    if (Number(rows[0]?.count) > 0) throw new AppError("CONFLICT", "the target database is not empty: restore into a new database (createdb), then point DATABASE_URL at it");
  } finally {
    await client.end();
  }
};

// Spool files back into the data folder the worker will use; an existing file of the same name must be the same.
const planSpool = async (options: { fromDir: string; dataDir: string; manifest: TBackupManifest }) => {
  const plan: { target: string; text: string }[] = [];
  for (const file of options.manifest.spoolFiles) {
    const source = path.join(options.fromDir, BACKUP_SPOOL_DIR, file.name);
    if ((await sha256File(source)) !== file.sha256) throw new AppError("VALIDATION", `${BACKUP_SPOOL_DIR}/${file.name} is damaged (checksum differs from the manifest)`);
    const target = path.join(options.dataDir, "spool", file.name);
    const existing = await readFile(target, "utf8").catch(() => undefined);
    const text = await readFile(source, "utf8");
    if (existing !== undefined && existing !== text) throw new AppError("CONFLICT", `${target} exists with other content: move it aside first`);
    if (existing === undefined) plan.push({ target, text });
  }
  return plan;
};

// Every check that can fail is made before the target is touched; pg_restore runs in one transaction, so a damaged
// dump leaves the database as empty as it was. Then migrations bring an older backup up to this code, and the key
// must open a stored secret of each kind.
export const restoreBackup = async (options: { databaseUrl: string; secretKey: string; fromDir: string; dataDir?: string; pgBinDir?: string; log: (line: string) => void }): Promise<{ migrationsApplied: string[]; spoolFiles: number }> => {
  const manifest = await readManifest(options.fromDir);
  const fingerprint = keyFingerprint(options.secretKey);
  if (fingerprint !== manifest.keyFingerprint) {
    throw new AppError("VALIDATION", `TWOFOLD_SECRET_KEY is not the key this backup was made with (yours ${fingerprint}, the backup's ${manifest.keyFingerprint}): without it every stored secret is unreadable`);
  }
  const dumpFile = path.join(options.fromDir, BACKUP_DUMP_FILE);
  if ((await sha256File(dumpFile)) !== manifest.dumpSha256) throw new AppError("VALIDATION", `${BACKUP_DUMP_FILE} is damaged (checksum differs from the manifest)`);
  const pgRestore = pgToolPath({ name: "pg_restore", binDir: options.pgBinDir });
  const restoreMajor = await pgToolMajor(pgRestore);
  if (restoreMajor < manifest.pgDumpMajor) throw new AppError("UNAVAILABLE", `pg_restore ${restoreMajor} cannot read a pg_dump ${manifest.pgDumpMajor} archive: set TWOFOLD_PG_BIN to a PostgreSQL ${manifest.pgDumpMajor} (or newer) client`);
  const spool = options.dataDir ? await planSpool({ fromDir: options.fromDir, dataDir: options.dataDir, manifest }) : [];
  await assertEmpty(options.databaseUrl);

  const connection = libpqConnection(options.databaseUrl);
  options.log(`pg_restore of the backup of ${manifest.createdAt} (${manifest.migrations.length} migrations)`);
  const restore = await runPgTool({ tool: pgRestore, args: ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", `--dbname=${connection.dbname}`, dumpFile], env: connection.env });
  if (restore.code !== 0) throw new AppError("UNAVAILABLE", `pg_restore failed, the database is left as it was: ${restore.stderr.trim()}`);
  const migrationsApplied = await applyMigrations({ databaseUrl: options.databaseUrl, log: options.log });

  const prisma = createConfigPrisma({ databaseUrl: options.databaseUrl, max: 1 });
  try {
    const key = await checkSecretKey({ prisma, secretKey: options.secretKey });
    if (!key.ok) throw new AppError("VALIDATION", `restored, but the secret key does not open it: ${key.detail}`);
    options.log(`secret key: ${key.detail}`);
  } finally {
    await prisma.$disconnect();
  }
  for (const file of spool) {
    await mkdir(path.dirname(file.target), { recursive: true, mode: 0o700 });
    await writeFile(file.target, file.text, { mode: 0o600, flag: "wx" });
  }
  if (options.dataDir) options.log(`spool: ${spool.length} files into ${path.join(options.dataDir, "spool")} (the worker replays them at start)`);
  return { migrationsApplied, spoolFiles: spool.length };
};
