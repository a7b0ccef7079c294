import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "./test-support/isolated-database";

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-main-"));

const runMain = (env: Record<string, string>) => {
  const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], {
    env: { ...process.env, TWOFOLD_RADIUS_HOST: "127.0.0.1", TWOFOLD_RADIUS_AUTH_PORT: "0", TWOFOLD_RADIUS_ACCT_PORT: "0", TWOFOLD_COA_PORTS: "", TWOFOLD_HEALTH_PORT: "0", TWOFOLD_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, exited, output: () => output };
};

beforeAll(async () => {
  db = await createIsolatedDatabase();
});

afterAll(async () => {
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("worker/main.ts", () => {
  it("starts, and on SIGTERM closes, flushes and exits 0", { timeout: 60_000 }, async () => {
    const run = runMain({ DATABASE_URL: db.url });
    const deadline = Date.now() + 30_000;
    while (!run.output().includes("serving RADIUS") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(run.output()).toContain("serving RADIUS");
    run.child.kill("SIGTERM");
    expect(await run.exited, run.output()).toBe(0);
  });

  it("exits non-zero when it cannot start", { timeout: 60_000 }, async () => {
    const run = runMain({ DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" });
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toContain("failed to start");
  });
});
