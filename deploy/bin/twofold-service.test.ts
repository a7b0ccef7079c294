import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createConfigPrisma } from "../../lib/config/create-config-prisma";
import { seedApplication } from "../../worker/test-support/seed";

const SCRIPT = path.join(import.meta.dirname, "twofold-service");
const scratch = mkdtempSync(path.join(tmpdir(), "twofold-service-"));
const runKey = process.env.TWOFOLD_SECRET_KEY ?? "";
let databaseUrl = "";
let databaseName = "";

// The entry point as the image and the units run it: its own process, from an unrelated directory, only this env.
const service = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(SCRIPT, args, { cwd: scratch, env: { PATH: process.env.PATH ?? "", HOME: scratch, NODE_ENV: "production" as const, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });

const keyFile = (content: string, mode = 0o400) => {
  const file = path.join(scratch, `key-${randomBytes(4).toString("hex")}`);
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
};

const ZDoctorSchema = z.object({ checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })) });
const secretKeyCheck = (stdout: string) => ZDoctorSchema.parse(JSON.parse(stdout)).checks.find((check) => check.name === "secret key");

beforeAll(async () => {
  // An empty database: the entry point's `migrate` is what creates the schema.
  databaseName = `svc_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL ?? "");
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
});

afterAll(async () => {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
  rmSync(scratch, { recursive: true, force: true });
});

describe("deploy/bin/twofold-service", () => {
  it("migrate creates the schema, from any directory", async () => {
    const run = await service(["migrate"], { DATABASE_URL: databaseUrl });
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/applied migration 20261123190000_init/);
    expect(run.code).toBe(0);
    expect((await service(["migrate"], { DATABASE_URL: databaseUrl })).stdout).toContain("database is up to date");
  });

  it("reads the key from TWOFOLD_SECRET_KEY_FILE (newline and spaces around it are not the key)", async () => {
    const prisma = createConfigPrisma({ databaseUrl, max: 1 });
    await seedApplication({ prisma, primaryAuthMode: "local" }); // an skey encrypted with the run's key
    await prisma.$disconnect();
    const right = await service(["twofold", "doctor", "--json"], { DATABASE_URL: databaseUrl, TWOFOLD_SECRET_KEY_FILE: keyFile(` ${runKey}\r\n`) });
    expect(secretKeyCheck(right.stdout)).toMatchObject({ ok: true, detail: expect.stringMatching(/^decrypts application/) });
    const wrong = await service(["twofold", "doctor", "--json"], { DATABASE_URL: databaseUrl, TWOFOLD_SECRET_KEY_FILE: keyFile(randomBytes(32).toString("base64")) });
    expect(secretKeyCheck(wrong.stdout)).toMatchObject({ ok: false, detail: expect.stringContaining("not the key that encrypted them") });
  });

  it("a malformed key in the file stops the console with the console's own message", async () => {
    const run = await service(["console"], { DATABASE_URL: databaseUrl, TWOFOLD_SECRET_KEY_FILE: keyFile("c2hvcnQ=\n") });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^\[console\] failed to start: Invalid environment:\n.*TWOFOLD_SECRET_KEY must be 32 random bytes/);
  });

  it("refuses both a key and a key file, a key file it cannot read, and an unknown command", async () => {
    const both = await service(["worker"], { DATABASE_URL: databaseUrl, TWOFOLD_SECRET_KEY: runKey, TWOFOLD_SECRET_KEY_FILE: keyFile(runKey) });
    expect(both).toMatchObject({ code: 1, stderr: expect.stringContaining("not both") });
    const missing = await service(["worker"], { DATABASE_URL: databaseUrl, TWOFOLD_SECRET_KEY_FILE: path.join(scratch, "no such file") });
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining("is not readable") });
    for (const args of [[], ["consol"], ["--help"], ["CONSOLE"], ["console;id"]]) {
      const run = await service(args, {});
      expect(run.code, JSON.stringify(args)).toBe(2);
      expect(run.stderr).toContain("usage: twofold-service console");
    }
  });

  it("twofold passes the CLI its arguments untouched, relative paths from the caller's directory", async () => {
    const run = await service(["twofold", "migrate", "status", "--json"], { DATABASE_URL: databaseUrl, TWOFOLD_SECRET_KEY: runKey });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ applied: expect.any(Array) });
    writeFileSync(path.join(scratch, "owner-password"), "correct horse battery staple\n", { mode: 0o600 });
    const owner = await service(["twofold", "create-owner", "--username", "owner@example.com", "--password-file", "./owner-password"], { DATABASE_URL: databaseUrl, TWOFOLD_SECRET_KEY_FILE: keyFile(runKey) });
    expect(owner.stdout).toContain("created owner owner@example.com");
    expect(owner.code).toBe(0);
  });

  it("called through a symlink named twofold (the image's /usr/local/bin/twofold), it is the CLI", async () => {
    const link = path.join(scratch, "twofold");
    symlinkSync(SCRIPT, link);
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(link, ["admins", "list", "--json"], { cwd: scratch, env: { PATH: process.env.PATH ?? "", HOME: scratch, NODE_ENV: "production" as const, DATABASE_URL: databaseUrl, TWOFOLD_SECRET_KEY_FILE: keyFile(runKey) }, stdio: ["ignore", "pipe", "inherit"] });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.once("error", reject);
      child.once("close", (code) => resolve({ code, stdout }));
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("owner@example.com");
  });
});
