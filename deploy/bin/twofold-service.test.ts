import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { processTree } from "../../bench/process-cpu";
import { createConfigPrisma } from "../../lib/config/create-config-prisma";
import { freePort } from "../../lib/testing/free-port";
import { EXIT_BUNDLE_NOT_CURRENT } from "../../scripts/build-worker.mjs";
import { probeReusePort } from "../../worker/reuse-port";
import { seedApplication } from "../../worker/test-support/seed";
import { waitFor } from "../../worker/test-support/wait-for";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCRIPT = path.join(import.meta.dirname, "twofold-service");
const scratch = mkdtempSync(path.join(tmpdir(), "twofold-service-"));
const runKey = process.env.TWOFOLD_SECRET_KEY ?? "";
let databaseUrl = "";
let databaseName = "";

type TRun = { code: number | null; stdout: string; stderr: string };

// The entry point as the image and the units run it: its own process, from an unrelated directory, only this env.
// `command` runs it through something else first (unshare, below).
const start = (args: string[], env: Record<string, string>, command = SCRIPT) => {
  const child = spawn(command, args, { cwd: scratch, env: { PATH: process.env.PATH ?? "", HOME: scratch, NODE_ENV: "production" as const, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const run: TRun = { code: null, stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (run.stderr += chunk.toString()));
  const kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const done = new Promise<TRun>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(kill);
      resolve({ ...run, code });
    });
  });
  return { child, run, done };
};
const service = (args: string[], env: Record<string, string>, command?: string) => start(args, env, command).done;

// systemd's ProtectSystem=strict as a test can have it: a private mount namespace in which this checkout is read-only
// and dist/ holds nothing but the bundle the case names (a copy, itself read-only), so the checkout's own dist/ is
// neither used nor touched. Then `command` (the entry point, by default `twofold-service worker`).
const canUnshare = spawnSync("unshare", ["-m", "--propagation", "private", "true"]).status === 0;
const inReadOnlyTree = (bundle: string | undefined, command: string[] = [SCRIPT, "worker"]): string[] => {
  const steps = [
    'mount --bind "$1" "$1"',
    'mount -o remount,bind,ro "$1"',
    'mount -t tmpfs tmpfs "$1/dist"',
    ...(bundle ? ['mkdir "$1/dist/worker"', 'mount --bind "$2" "$1/dist/worker"', 'mount -o remount,bind,ro "$1/dist/worker"'] : []),
    'mount -o remount,ro "$1/dist"',
    'shift 2 && exec "$@"',
  ];
  return ["-m", "--propagation", "private", "sh", "-c", steps.join(" && "), "sh", ROOT, bundle ?? "", ...command];
};

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
  // The mount point of the namespace's dist/ (dist/ is git-ignored; build-worker's own test makes it too).
  mkdirSync(path.join(ROOT, "dist"), { recursive: true });
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

  describe("worker, from a tree it cannot write (ProtectSystem=strict)", () => {
    // A bundle built for this test and copied out of the checkout; the stale one has an input changed.
    const buildBundle = (target: string) => {
      const outdir = path.join(ROOT, "dist", `worker-svc-${randomBytes(4).toString("hex")}`); // two levels under the root
      const built = spawnSync(process.execPath, ["scripts/build-worker.mjs", "--outdir", outdir], { cwd: ROOT, encoding: "utf8" });
      expect(built.status, built.stderr).toBe(0);
      cpSync(outdir, target, { recursive: true });
      rmSync(outdir, { recursive: true, force: true });
    };
    const stale = path.join(scratch, "bundle-stale");
    beforeAll(() => {
      if (!canUnshare) return;
      buildBundle(stale);
      const inputs = JSON.parse(readFileSync(path.join(stale, "inputs.json"), "utf8")) as Record<string, string>;
      // As if lib/radius/dictionary.ts had changed since the build: an upgrade that skipped `npm run build:worker`.
      writeFileSync(path.join(stale, "inputs.json"), JSON.stringify({ ...inputs, "lib/radius/dictionary.ts": "0:0" }));
    }, 120_000);
    const workerEnv = () => ({ DATABASE_URL: databaseUrl, TWOFOLD_SECRET_KEY: runKey, TWOFOLD_DATA_DIR: mkdtempSync(path.join(scratch, "data-")) });

    it("the namespace really is read-only: the old entry point (build-worker --run) fails there on a stale bundle", async (context) => {
      context.skip(!canUnshare, "needs a mount namespace (unshare -m)");
      const run = await service(inReadOnlyTree(stale, [process.execPath, path.join(ROOT, "scripts/build-worker.mjs"), "--run"]), workerEnv(), "unshare");
      expect(run.code).toBe(1);
      // It tries to write its build beside dist/worker, and cannot (Node words the read-only tmpfs as ENOENT on mkdir).
      expect(run.stderr).toMatch(/read-only file system|EROFS|mkdir '[^']*\/dist\/worker\.new-\d+'/i);
    });

    it("a missing or stale bundle stops the start with exit 78 and the command to run; it writes nothing", async (context) => {
      context.skip(!canUnshare, "needs a mount namespace (unshare -m)");
      const missing = await service(inReadOnlyTree(undefined), workerEnv(), "unshare");
      expect(missing.code).toBe(EXIT_BUNDLE_NOT_CURRENT);
      expect(missing.stderr).toMatch(/^twofold-service: the worker bundle dist\/worker\/ is missing/);
      expect(missing.stderr).toContain(`run \`npm run build:worker\` in ${ROOT}`);
      expect(missing.stdout).toBe("");
      const outdated = await service(inReadOnlyTree(stale), workerEnv(), "unshare");
      expect(outdated.code).toBe(EXIT_BUNDLE_NOT_CURRENT);
      expect(outdated.stderr).toMatch(/^twofold-service: the worker bundle dist\/worker\/ is out of date: lib\/radius\/dictionary\.ts changed since it was built\. /);
      expect(outdated.stderr).toContain("npm run build:worker");
      expect(outdated.stderr, "it did not try to build").not.toMatch(/EROFS|EACCES|ENOENT|Build failed/);
      expect(JSON.parse(readFileSync(path.join(stale, "inputs.json"), "utf8"))["lib/radius/dictionary.ts"]).toBe("0:0");
    });

    it("a fresh bundle starts as node dist/worker/main.js: serves, is ready, forks with the heap flags, stops cleanly", { timeout: 120_000 }, async (context) => {
      context.skip(!canUnshare, "needs a mount namespace (unshare -m)");
      expect((await service(["migrate"], { DATABASE_URL: databaseUrl })).code).toBe(0);
      const reuse = await probeReusePort();
      const processes = reuse.ok ? 2 : 1;
      const healthPort = await freePort();
      const env = { ...workerEnv(), TWOFOLD_RADIUS_HOST: "127.0.0.1", TWOFOLD_RADIUS_AUTH_PORT: "0", TWOFOLD_RADIUS_ACCT_PORT: "0", TWOFOLD_COA_PORTS: "", TWOFOLD_API_PORT: "off", TWOFOLD_HEALTH_PORT: String(healthPort), TWOFOLD_WORKER_PROCESSES: String(processes) };
      // Built just before it runs: in a shared checkout a source edited meanwhile would (rightly) make it refuse.
      const fresh = mkdtempSync(path.join(scratch, "bundle-fresh-"));
      buildBundle(fresh);
      const worker = start(inReadOnlyTree(fresh), env, "unshare");
      let exited = false;
      void worker.done.then(() => (exited = true));
      try {
        const serving = await waitFor(() => (/serving RADIUS on 127\.0\.0\.1:\d+ \(auth\)/.test(worker.run.stdout) ? true : exited ? false : undefined), { timeoutMs: 60_000 });
        expect(serving, `${worker.run.stdout}\n${worker.run.stderr}`).toBe(true);
        const ready = await waitFor(async () => {
          const response = await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => undefined);
          return response?.status === 200 ? ((await response.json()) as { status: string }) : undefined;
        }, { timeoutMs: 30_000, intervalMs: 200 });
        expect(ready?.status).toBe("ready");
        // unshare, both shells and the check have exec'd or exited: the service's process is the bundle itself.
        const commands = processTree(worker.child.pid ?? 0).map((proc) => proc.cmdline.trim());
        expect(commands[0], commands.join("\n")).toBe("node dist/worker/main.js");
        const forked = commands.filter((command) => command.includes("worker-process.js"));
        expect(forked).toHaveLength(processes > 1 ? processes : 0);
        for (const command of forked) expect(command).toMatch(/--max-semi-space-size=16 --heap-growing-percent=50/);
        expect(commands.filter((command) => /tsx|esbuild|build-worker/.test(command)), commands.join("\n")).toEqual([]);
        worker.child.kill("SIGTERM");
        expect((await worker.done).code, worker.run.stdout).toBe(0);
      } finally {
        worker.child.kill("SIGKILL");
      }
    });
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
