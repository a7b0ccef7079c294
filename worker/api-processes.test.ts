import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect } from "node:tls";
import { Client } from "@duosecurity/duo_api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "../lib/secrets/envelope";
import { probeReusePort } from "./reuse-port";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { waitFor } from "./test-support/wait-for";
import { ZPrimaryMessageSchema } from "./worker-pool-messages";
import { spawnWorkerHost } from "../lib/testing/spawn-worker-host";

// worker/main.ts with 2 processes: the Duo-compatible API is served by both on one TCP port (SO_REUSEPORT) with the
// one certificate the first process made, and survives one of them dying. Duo's own npm client signs every call.
const support = await probeReusePort();
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-api-processes-"));
const skey = randomBytes(20).toString("hex");
const ikey = `DI${randomBytes(9).toString("hex").toUpperCase()}`;
const original = https.globalAgent;

type THealth = { processes: { index: number; pid?: number; serving: boolean; restarts: number; counters?: { api?: { requests?: number } } }[] };

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const application = await db.prisma.application.create({ data: { name: `api-procs-${randomBytes(4).toString("hex")}`, kind: "auth_api", ikey, skey: encryptSecret(skey), primaryAuthMode: "none", factorEntry: "both" } });
  await db.prisma.policy.create({ data: { applicationId: application.id, newUserPolicy: "allow_without_2fa" } });
});

afterAll(async () => {
  https.globalAgent = original;
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

// The fingerprint of the certificate one fresh TLS connection is served.
const servedCertificate = (port: number, ca: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, servername: "localhost", ca }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on("error", reject);
  });

describe("the Duo-compatible API on every worker process of a host", () => {
  it("many concurrent signed calls all answered, by both processes, one certificate; a killed process is restarted and the API keeps answering", { timeout: 180_000 }, async (context) => {
    context.skip(!support.ok, support.ok ? undefined : `needs SO_REUSEPORT: ${support.why}`);
    const host = spawnWorkerHost({ dataDir, env: { TWOFOLD_RADIUS_HOST: "127.0.0.1", TWOFOLD_RADIUS_AUTH_PORT: "0", TWOFOLD_RADIUS_ACCT_PORT: "0", TWOFOLD_COA_PORTS: "", TWOFOLD_HEALTH_PORT: "0", TWOFOLD_API_PORT: "0", TWOFOLD_API_HOST: "127.0.0.1", TWOFOLD_DATA_DIR: dataDir, DATABASE_URL: db.url, TWOFOLD_WORKER_PROCESSES: "2", TWOFOLD_WORKER_ID: `api-procs-${randomBytes(3).toString("hex")}` } });
    const { child, exited } = host;
    try {
      const ready = await waitFor(() => /Duo-compatible API on port (\d+) in every process, health on 127\.0\.0\.1:(\d+)/.exec(host.output()) ?? undefined, { timeoutMs: 90_000 });
      expect(ready, host.output()).toBeDefined();
      const [apiPort, healthPort] = [Number(ready?.[1]), Number(ready?.[2])];
      const ca = readFileSync(path.join(dataDir, "api-tls", "ca.pem"), "utf8");
      // The npm client pins Duo's CAs and port 443; the agent's options override them (as in auth-api-npm.test.ts).
      // No keep-alive: every call is a new connection, which the kernel places on either process.
      https.globalAgent = new https.Agent({ ca, port: apiPort, keepAlive: false, maxSockets: 64 });
      const call = (method: string, route: string, params: Record<string, string>) =>
        new Promise<unknown>((resolve) => new Client(ikey, skey, "localhost").jsonApiCall(method, route, params, resolve));
      const burst = (count: number, tag: string) =>
        Promise.all(Array.from({ length: count }, (_, i) => (i % 2 === 0 ? call("GET", "/auth/v2/check", {}) : call("POST", "/auth/v2/preauth", { username: `${tag}-${i}` }))));
      const health = async () => (await (await fetch(`http://127.0.0.1:${healthPort}/health`)).json()) as THealth;
      const requestsOf = (answer: THealth) => answer.processes.map((entry) => entry.counters?.api?.requests ?? 0);

      const first = await burst(40, "before");
      expect(first.filter((answer) => (answer as { stat?: string }).stat === "OK")).toHaveLength(40);
      const counted = await health();
      expect(requestsOf(counted).reduce((sum, n) => sum + n, 0), JSON.stringify(counted)).toBeGreaterThanOrEqual(40);
      expect(requestsOf(counted).every((n) => n > 0), JSON.stringify(counted)).toBe(true);
      // Both processes serve the certificate the first one made (only it generated one).
      const prints = new Set(await Promise.all(Array.from({ length: 12 }, () => servedCertificate(apiPort, ca))));
      expect(prints.size).toBe(1);

      // The certificate maker dies: the survivor keeps the port answering, the supervisor starts it again, and the
      // new process serves the same certificate (handed to it, not generated again) and takes calls.
      const victim = counted.processes[0];
      process.kill(victim?.pid ?? 0, "SIGKILL");
      // Calls begin once it is gone: a connection queued on a socket that is being torn down is reset by the kernel.
      await waitFor(async () => ((await health()).processes[0]?.serving ? undefined : true), { timeoutMs: 10_000 });
      const during = await burst(10, "during");
      expect(during.filter((answer) => (answer as { stat?: string }).stat === "OK")).toHaveLength(10);
      const back = await waitFor(async () => {
        const entry = (await health()).processes[0];
        return entry?.serving && entry.pid !== victim?.pid ? entry : undefined;
      }, { timeoutMs: 60_000 });
      expect(back, host.output()).toMatchObject({ index: 0, restarts: 1 });
      const after = await burst(40, "after");
      expect(after.filter((answer) => (answer as { stat?: string }).stat === "OK")).toHaveLength(40);
      expect((await health()).processes[0]?.counters?.api?.requests ?? 0).toBeGreaterThan(0);
      expect(new Set([...prints, ...(await Promise.all(Array.from({ length: 12 }, () => servedCertificate(apiPort, ca))))]).size).toBe(1);
    } finally {
      child.kill("SIGTERM");
      expect(await exited, host.output()).toBe(0);
    }
  });

  it("an IPC start message whose API certificate or port is no such thing is ignored, not used", () => {
    const start = { type: "start", index: 1, workerId: "w#1", authPort: 1812, acctPort: 1813, databasePoolMax: 2 };
    const tls = { cert: "-----BEGIN CERTIFICATE-----\nx\n", key: "-----BEGIN PRIVATE KEY-----\ny\n", names: ["localhost"], source: "generated" };
    expect(ZPrimaryMessageSchema.safeParse({ ...start, api: { port: 8443, tls } }).success).toBe(true);
    expect(ZPrimaryMessageSchema.safeParse({ ...start, api: { port: 8443, tls: { ...tls, key: "not a key" } } }).success).toBe(false);
    expect(ZPrimaryMessageSchema.safeParse({ ...start, api: { port: 8443, tls: { ...tls, cert: "\u0000-----BEGIN CERTIFICATE-----" } } }).success).toBe(false);
    expect(ZPrimaryMessageSchema.safeParse({ ...start, api: { port: 70000, tls } }).success).toBe(false);
    expect(ZPrimaryMessageSchema.safeParse({ ...start, api: { port: 8443, tls: { ...tls, source: "attacker" } } }).success).toBe(false);
  });
});
