import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { radclient } from "../lib/testing/radclient";
import { probeReusePort } from "../worker/reuse-port";
import { createIsolatedDatabase } from "../worker/test-support/isolated-database";
import { seedApplication, seedClient } from "../worker/test-support/seed";
import { waitFor } from "../worker/test-support/wait-for";
import { spawnWorkerHost } from "../lib/testing/spawn-worker-host";
import { processTree } from "../bench/process-cpu";

// The worker as production ships it: scripts/build-worker.mjs bundles it to plain JavaScript, and that bundle — not
// the sources under tsx — serves RADIUS from several processes, finds its dictionaries, and has no tsx anywhere.
const SECRET = "bundle-secret";
const support = await probeReusePort();
const outdir = path.resolve("dist", `worker-test-${randomBytes(4).toString("hex")}`); // two levels under the root
const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-bundle-"));
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;

const build = (...args: string[]) => spawnSync(process.execPath, ["scripts/build-worker.mjs", ...args], { encoding: "utf8" });

// NODE_OPTIONS from vitest could carry a loader: the bundle must run without one.
const run = (args: string[], env: Record<string, string>) => spawnWorkerHost({ dataDir, args, env: { NODE_OPTIONS: "", DATABASE_URL: db.url, ...env } });

// Command lines of a process and its descendants, from /proc (the benchmarks' reader).
const tree = (root: number): string[] => processTree(root).map((proc) => proc.cmdline);

const serveAndAnswer = async (handle: ReturnType<typeof run>, processes: number) => {
  const ready = await waitFor(() => /serving RADIUS on 127\.0\.0\.1:(\d+) \(auth\)/.exec(handle.output()) ?? undefined, { timeoutMs: 60_000 });
  expect(ready, handle.output()).toBeDefined();
  const answer = await radclient({ port: Number(ready?.[1]), secret: SECRET, attributes: { "User-Name": `bundle-${randomBytes(3).toString("hex")}`, "User-Password": "pw" }, retries: 3, timeoutSec: 5 });
  expect(answer.code, `${answer.stdout}\n${handle.output()}`).toBe("Access-Accept");
  const commands = tree(handle.child.pid ?? 0);
  const forked = commands.filter((command) => command.includes("worker-process.js"));
  expect(forked, commands.join("\n")).toHaveLength(processes > 1 ? processes : 0);
  // The heap sized for one process per core in every forked worker process (worker/supervise-worker-process.ts).
  for (const command of forked) expect(command).toMatch(/--max-semi-space-size=16 --heap-growing-percent=50/);
  expect(commands.filter((command) => /tsx|esbuild/.test(command)), commands.join("\n")).toEqual([]);
  handle.child.kill("SIGTERM");
  expect(await handle.exited, handle.output()).toBe(0);
};

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "none" });
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: SECRET });
});

afterAll(async () => {
  await db?.drop();
  rmSync(outdir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe("scripts/build-worker.mjs", () => {
  it("builds a bundle that serves RADIUS from several processes with no tsx in any of them", { timeout: 180_000 }, async (context) => {
    const built = build("--outdir", outdir);
    expect(built.status, built.stderr).toBe(0);
    expect(existsSync(path.join(outdir, "main.js")) && existsSync(path.join(outdir, "worker-process.js"))).toBe(true);
    context.skip(!support.ok, support.ok ? undefined : `needs SO_REUSEPORT for UDP: ${support.why}`);
    await serveAndAnswer(run([path.join(outdir, "main.js")], { TWOFOLD_WORKER_PROCESSES: "2" }), 2);
  });

  it("--run rebuilds a stale bundle before running it (one process)", { timeout: 180_000 }, async () => {
    if (!existsSync(path.join(outdir, "inputs.json"))) expect(build("--outdir", outdir).status).toBe(0);
    const inputsFile = path.join(outdir, "inputs.json");
    const inputs = JSON.parse(readFileSync(inputsFile, "utf8")) as Record<string, string>;
    // As if lib/radius/dictionary.ts had been edited since the build.
    writeFileSync(inputsFile, JSON.stringify({ ...inputs, "lib/radius/dictionary.ts": "0:0" }));
    await serveAndAnswer(run(["scripts/build-worker.mjs", "--run", "--outdir", outdir], { TWOFOLD_WORKER_PROCESSES: "1" }), 1);
    const rebuilt = JSON.parse(readFileSync(inputsFile, "utf8")) as Record<string, string>;
    expect(rebuilt["lib/radius/dictionary.ts"]).not.toBe("0:0");
  });

  it("--check writes nothing: 0 for a current bundle, 78 and what to run for a stale one", { timeout: 120_000 }, () => {
    expect(build("--outdir", outdir).status).toBe(0); // just before: a source edited meanwhile would make it stale
    const current = build("--check", "--outdir", outdir);
    expect(current.status, current.stderr).toBe(0);
    expect(current.stdout + current.stderr).toBe("");
    const inputsFile = path.join(outdir, "inputs.json");
    const inputs = JSON.parse(readFileSync(inputsFile, "utf8")) as Record<string, string>;
    const stale = JSON.stringify({ ...inputs, "lib/radius/dictionary.ts": "0:0" });
    writeFileSync(inputsFile, stale);
    const refused = build("--check", "--outdir", outdir);
    expect(refused.status).toBe(78);
    expect(refused.stderr).toMatch(/^the worker bundle dist\/worker-test-\w+\/ is out of date: lib\/radius\/dictionary\.ts changed since it was built\..*run `npm run build:worker`/);
    expect(readFileSync(inputsFile, "utf8"), "not rebuilt").toBe(stale);
    const missing = build("--check", "--outdir", path.join(path.dirname(outdir), "worker-never-built"));
    expect(missing.status).toBe(78);
    expect(missing.stderr).toContain("is missing (never built, or half built)");
  });

  it("refuses an output folder whose depth would break the bundle's paths", () => {
    const wrong = build("--outdir", path.join(outdir, "too", "deep"));
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain("two levels under");
  });
});
