import { hash } from "@node-rs/argon2";
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Secret, TOTP } from "otpauth";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import { applyMigrations } from "../lib/db/migrate";
import { encryptSecret } from "../lib/secrets/envelope";
import { startDebianPostgres, type TDebianPostgres } from "../lib/testing/debian-postgres";
import { radclient } from "../lib/testing/radclient";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { seedApplication, seedClient } from "../worker/test-support/seed";
import { waitFor } from "../worker/test-support/wait-for";

const ROOT = path.resolve(import.meta.dirname, "..");
const KEY = process.env.TWOFOLD_SECRET_KEY ?? "";
const RADIUS_SECRET = "backup-restore-secret";
const scratch = mkdtempSync(path.join(tmpdir(), "twofold-backup-"));
// A folder name as an admin might pick one: spaces and non-ASCII.
const backupDir = path.join(scratch, "backups", "2026-12-02 nightly ü");
const totpSecret = new Secret({ size: 20 });
const spooledEventId = randomUUID();
let server: TDebianPostgres;
let username = "";

// scripts/backup.ts and scripts/restore.ts as an admin runs them: own process, only the environment given.
const script = (name: "backup" | "restore", args: string[], env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", `scripts/${name}.ts`, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: scratch, NODE_ENV: "production" as const, TWOFOLD_DATA_DIR: path.join(scratch, "no-data"), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });

const tableCount = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ count: string }>("SELECT count(*) AS count FROM pg_tables WHERE schemaname = 'public'");
  await client.end();
  return Number(rows[0]?.count);
};

beforeAll(async () => {
  server = await startDebianPostgres();
  server.createDatabase("source");
  const source = server.urlFor("source");
  await applyMigrations({ databaseUrl: source });
  const prisma = createConfigPrisma({ databaseUrl: source, max: 2 });
  const application = await seedApplication({ prisma, primaryAuthMode: "local", factorEntry: "append", newUserPolicy: "require_enrollment" });
  await seedClient({ prisma, applicationId: application.id, secret: RADIUS_SECRET });
  username = `restored-${randomBytes(3).toString("hex")}`;
  const user = await prisma.user.create({ data: { username, passwordHash: await hash("correct horse") } });
  await prisma.authenticator.create({ data: { userId: user.id, kind: "totp", name: "App", secret: encryptSecret(totpSecret.base32), active: true } });
  await prisma.$disconnect();
}, 120_000);

afterAll(() => {
  server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("backup and restore (pg_dump of a real PostgreSQL, the spool, the key kept apart)", () => {
  it("backs up the database and a worker's spool, and writes no key", async () => {
    // A worker that died with one event journaled but not inserted, and a torn last line it never answered for.
    const dataDir = path.join(scratch, "worker-data");
    mkdirSync(path.join(dataDir, "spool"), { recursive: true });
    const event = { eventId: spooledEventId, time: new Date().toISOString(), usernameRaw: username, username, result: "success", reason: "accepted", workerId: "old-worker" };
    writeFileSync(path.join(dataDir, "spool", "auth-events-old-worker.jsonl"), `${JSON.stringify(event)}\n{"eventId":"torn`);
    writeFileSync(path.join(dataDir, "spool", "auth-events-old-worker.owner"), "another-host:4242");

    const run = await script("backup", ["--out", backupDir, "--data-dir", dataDir, "--json"], { DATABASE_URL: server.urlFor("source"), TWOFOLD_SECRET_KEY: KEY });
    expect(run.stderr).toMatch(/pg_dump \d+ of PostgreSQL \d+/);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(run.stdout) as { spoolFiles: { name: string }[]; migrations: string[] };
    expect(manifest.spoolFiles.map((file) => file.name)).toEqual(["auth-events-old-worker.jsonl"]);
    expect(manifest.migrations).toContain("20261123190000_init");
    expect(readFileSync(path.join(backupDir, "spool", "auth-events-old-worker.jsonl"), "utf8")).toBe(`${JSON.stringify(event)}\n`);
    for (const file of ["database.dump", "manifest.json"]) expect(statSync(path.join(backupDir, file)).mode & 0o077, file).toBe(0);
    for (const file of readdirSync(backupDir, { recursive: true, encoding: "utf8" })) {
      if (statSync(path.join(backupDir, file)).isFile()) expect(readFileSync(path.join(backupDir, file)).includes(KEY), file).toBe(false);
    }
    // Never into a folder that holds something: a second run must not overwrite the first.
    const again = await script("backup", ["--out", backupDir], { DATABASE_URL: server.urlFor("source"), TWOFOLD_SECRET_KEY: KEY });
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining("is not empty") });
  });

  it("refuses a wrong key, a damaged dump and a wrong command line, leaving the target empty", async () => {
    server.createDatabase("refused");
    const target = server.urlFor("refused");
    const wrongKey = await script("restore", ["--from", backupDir], { DATABASE_URL: target, TWOFOLD_SECRET_KEY: randomBytes(32).toString("base64") });
    expect(wrongKey).toMatchObject({ code: 1, stderr: expect.stringContaining("not the key this backup was made with") });
    const damaged = path.join(scratch, "damaged");
    cpSync(backupDir, damaged, { recursive: true });
    truncateSync(path.join(damaged, "database.dump"), 2000);
    const truncated = await script("restore", ["--from", damaged], { DATABASE_URL: target, TWOFOLD_SECRET_KEY: KEY });
    expect(truncated).toMatchObject({ code: 1, stderr: expect.stringContaining("database.dump is damaged") });
    writeFileSync(path.join(damaged, "manifest.json"), '{"format":1,"keyFingerprint":"../../etc"}');
    expect((await script("restore", ["--from", damaged], { DATABASE_URL: target, TWOFOLD_SECRET_KEY: KEY })).stderr).toContain("manifest.json is damaged");
    expect((await script("restore", [], { DATABASE_URL: target, TWOFOLD_SECRET_KEY: KEY })).code).toBe(2);
    expect((await script("restore", ["--from", backupDir, "extra"], { DATABASE_URL: target, TWOFOLD_SECRET_KEY: KEY })).code).toBe(2);
    expect(await tableCount(target)).toBe(0);
  });

  it("after the database is lost, restores into a new one where the user logs in with password and TOTP", async () => {
    const admin = new pg.Client({ connectionString: server.urlFor("postgres") });
    await admin.connect();
    await admin.query("DROP DATABASE source WITH (FORCE)");
    await admin.end();

    server.createDatabase("restored");
    const restored = server.urlFor("restored");
    const dataDir = path.join(scratch, "new-worker-data");
    const run = await script("restore", ["--from", backupDir, "--data-dir", dataDir], { DATABASE_URL: restored, TWOFOLD_SECRET_KEY: KEY });
    expect(run.stderr).toMatch(/secret key: decrypts application .* skey, RADIUS client .* secret, an authenticator seed \(totp\)/);
    expect(run.code).toBe(0);
    expect(readdirSync(path.join(dataDir, "spool"))).toEqual(["auth-events-old-worker.jsonl"]);

    const worker = await startTestWorker({ databaseUrl: restored, dataDir });
    try {
      const login = await waitFor(async () => {
        const reply = await radclient({ port: worker.authPort, secret: RADIUS_SECRET, attributes: { "User-Name": username, "User-Password": `correct horse,${TOTP.generate({ secret: totpSecret })}` } });
        return reply.code === "Access-Accept" ? reply : undefined;
      }, { timeoutMs: 15_000 });
      expect(login?.code).toBe("Access-Accept");
      // The spooled event the dead worker never inserted is in the restored log now.
      const prisma = createConfigPrisma({ databaseUrl: restored, max: 1 });
      const replayed = await waitFor(async () => (await prisma.authEvent.findFirst({ where: { eventId: spooledEventId } })) ?? undefined, { timeoutMs: 15_000 });
      await prisma.$disconnect();
      expect(replayed?.username).toBe(username);
    } finally {
      await worker.stop();
    }

    const twice = await script("restore", ["--from", backupDir], { DATABASE_URL: restored, TWOFOLD_SECRET_KEY: KEY });
    expect(twice).toMatchObject({ code: 1, stderr: expect.stringContaining("the target database is not empty") });
  });
});
