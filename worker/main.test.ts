import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { spawnWorkerHost } from "../lib/testing/spawn-worker-host";

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-main-"));

const runMain = (env: Record<string, string>) => spawnWorkerHost({ dataDir, env });

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
