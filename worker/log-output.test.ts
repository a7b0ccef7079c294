import { spawn } from "node:child_process";
import { hash } from "@node-rs/argon2";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { radclient } from "../lib/testing/radclient";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedClient } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-logs-"));

// `npm run worker` as a service manager runs it: stdout is a pipe, so JSON lines.
const runMain = (env: Record<string, string>) => {
  const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], {
    env: { ...process.env, TWOFOLD_RADIUS_HOST: "127.0.0.1", TWOFOLD_RADIUS_AUTH_PORT: "0", TWOFOLD_RADIUS_ACCT_PORT: "0", TWOFOLD_COA_PORTS: "", TWOFOLD_HEALTH_PORT: "0", TWOFOLD_API_PORT: "off", TWOFOLD_WORKER_PROCESSES: "1", TWOFOLD_DATA_DIR: dataDir, TWOFOLD_WORKER_ID: "logs-test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const lines = () => stdout.split("\n").filter(Boolean);
  return { child, exited, stdout: () => stdout, stderr: () => stderr, lines, json: () => lines().map((line) => JSON.parse(line) as Record<string, unknown>) };
};

beforeAll(async () => {
  db = await createIsolatedDatabase();
});

afterAll(async () => {
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("worker log output", () => {
  it("is one JSON object per line; at debug each answered request carries client, user, reason, ms and worker id, never the password", { timeout: 150_000 }, async () => {
    const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local" });
    const client = await seedClient({ prisma: db.prisma, applicationId: application.id, secret: "log-secret" });
    await db.prisma.user.create({ data: { username: "carol-logs", passwordHash: await hash("Tr0ub4dor&3") } });
    const run = runMain({ DATABASE_URL: db.url, TWOFOLD_LOG_LEVEL: "debug" });
    try {
      const port = await waitFor(() => /serving RADIUS on 127\.0\.0\.1:(\d+) \(auth\)/.exec(run.stdout())?.[1], { timeoutMs: 60_000, intervalMs: 50 });
      expect(port, run.stdout() + run.stderr()).toBeDefined();
      const accept = await radclient({ port: Number(port), secret: "log-secret", attributes: { "User-Name": "Carol-Logs", "User-Password": "Tr0ub4dor&3" }, timeoutSec: 20 });
      expect(accept.code, accept.stdout).toBe("Access-Accept");
      const wrong = await radclient({ port: Number(port), secret: "log-secret", attributes: { "User-Name": "carol-logs", "User-Password": "hunter2-wrong" }, timeoutSec: 20 });
      expect(wrong.code).toBe("Access-Reject");
      const answered = await waitFor(() => {
        const found = run.json().filter((line) => line.msg === "access-request answered");
        return found.length >= 2 ? found : undefined;
      }, { timeoutMs: 30_000 });
      expect(answered?.[0]).toMatchObject({ level: 20, name: "worker", workerId: "logs-test", client: client.name, user: "carol-logs", result: "success", reason: expect.any(String), ms: expect.any(Number), nas: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
      expect(answered?.[1]).toMatchObject({ result: "failure", user: "carol-logs" });
      const serving = run.json().find((line) => String(line.msg).includes("serving RADIUS"));
      expect(serving).toMatchObject({ level: 30, name: "worker", workerId: "logs-test", pid: expect.any(Number), time: expect.any(Number) });
      expect(run.stdout()).not.toMatch(/Tr0ub4dor|hunter2-wrong|log-secret/);
    } finally {
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
    }
    // Every line, start to stop, parses as JSON.
    expect(() => run.json()).not.toThrow();
    expect(run.json().some((line) => String(line.msg).includes("SIGTERM"))).toBe(true);
  });

  it("TWOFOLD_LOG_LEVEL=warn keeps only warnings; an invalid SIEM target stops the start naming the variable", { timeout: 150_000 }, async () => {
    const startedAfter = new Date();
    const quiet = runMain({ DATABASE_URL: db.url, TWOFOLD_LOG_LEVEL: "warn" });
    // Serving (its first heartbeat is written after the start line) without a word on stdout.
    const serving = await waitFor(async () => (await db.prisma.workerStatus.findFirst({ where: { id: "logs-test", heartbeatAt: { gt: startedAfter } } })) ?? undefined, { timeoutMs: 45_000, intervalMs: 100 });
    expect(serving, quiet.stderr()).toBeDefined();
    quiet.child.kill("SIGTERM");
    expect(await quiet.exited).toBe(0);
    expect(quiet.json().filter((line) => Number(line.level) < 40)).toEqual([]);
    const refused = runMain({ DATABASE_URL: db.url, TWOFOLD_SIEM_TARGETS: "tcp://siem.corp:514,ftp://nope" });
    expect(await refused.exited).not.toBe(0);
    const fatal = refused.json().find((line) => String(line.msg).includes("failed to start"));
    expect(String(fatal?.msg)).toMatch(/TWOFOLD_SIEM_TARGETS: ftp:\/\/nope: unknown scheme/);
    expect(Number(fatal?.level)).toBeGreaterThanOrEqual(40);
  });
});
