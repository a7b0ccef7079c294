import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { killOnExit, stopChild } from "../lib/testing/kill-on-exit";
import { createUdpRadiusClient, textAttribute } from "../lib/testing/udp-radius-client";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedClient } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";

// Issue 9, item 8: a crash loses no answered login. A real worker process under load on the cheap path, killed with
// SIGKILL, restarted on the same data directory: every login the NAS received an Access-Accept for has its AuthEvent.
const SECRET = "crash-nas-secret";
const OUTSTANDING = 32;
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-crash-"));

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "none", newUserPolicy: "allow_without_2fa" });
  await seedClient({ prisma: db.prisma, applicationId: application.id, secret: SECRET });
});

afterAll(async () => {
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const startMain = async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      TWOFOLD_DATA_DIR: dataDir,
      TWOFOLD_WORKER_ID: "crash-test-worker",
      TWOFOLD_RADIUS_HOST: "127.0.0.1",
      TWOFOLD_RADIUS_AUTH_PORT: "0",
      TWOFOLD_RADIUS_ACCT_PORT: "0",
      TWOFOLD_COA_PORTS: "",
      TWOFOLD_HEALTH_PORT: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  killOnExit(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const port = await waitFor(() => /serving RADIUS on 127\.0\.0\.1:(\d+) \(auth\)/.exec(output)?.[1], { timeoutMs: 30_000, intervalMs: 50 });
  if (!port) throw new Error(`worker did not start:\n${output}`);
  return { child, port: Number(port), output: () => output };
};

it("keeps the AuthEvent of every login answered with Access-Accept when killed with SIGKILL under load", { timeout: 120_000 }, async () => {
  const first = await startMain();
  const nas = await createUdpRadiusClient({ port: first.port, secret: SECRET });
  const accepted: string[] = [];
  let next = 0;
  let stop = false;
  const slot = async () => {
    while (!stop) {
      const username = `crash-${next++}`;
      const code = await nas.send({ attributes: [textAttribute(Attr.UserName, username), { type: Attr.NasIpAddress, value: Buffer.from([10, 0, 0, 1]) }], password: "pw", timeoutMs: 1000 });
      if (code === RadiusCode.AccessAccept) accepted.push(username);
    }
  };
  const load = Promise.all(Array.from({ length: OUTSTANDING }, slot));
  await waitFor(() => (accepted.length >= 1500 ? true : undefined), { timeoutMs: 60_000, intervalMs: 5 });
  first.child.kill("SIGKILL"); // mid-load: 32 requests in flight, events of the last moments in the pipeline
  stop = true;
  await load;
  await nas.close();
  expect(accepted.length, first.output()).toBeGreaterThanOrEqual(1500);

  const second = await startMain();
  try {
    const missing = await waitFor(
      async () => {
        const rows = await db.prisma.authEvent.findMany({ where: { usernameRaw: { in: accepted } }, select: { usernameRaw: true } });
        const logged = new Set(rows.map((row) => row.usernameRaw));
        const notYet = accepted.filter((username) => !logged.has(username));
        return notYet.length === 0 ? notYet : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const rows = await db.prisma.authEvent.findMany({ where: { usernameRaw: { in: accepted } }, select: { usernameRaw: true } });
    const logged = new Set(rows.map((row) => row.usernameRaw));
    expect(missing ?? accepted.filter((username) => !logged.has(username)), `of ${accepted.length} accepted logins, these have no AuthEvent`).toEqual([]);
    // Replayed exactly once (inserts are idempotent by eventId).
    expect(rows.length).toBe(accepted.length);
  } finally {
    await stopChild(second.child);
  }
});
