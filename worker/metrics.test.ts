import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMetricsText, sampleValue, type TSample } from "../lib/metrics/parse-metrics-text";
import { encryptSecret } from "../lib/secrets/envelope";
import { startFreeRadius, type TFreeRadius } from "../lib/testing/freeradius";
import { radclient } from "../lib/testing/radclient";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedUpstream } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";

// A real worker with its health port, a real FreeRADIUS as the upstream (ISE), real radclient traffic: the scrape must
// show what happened, with the labels an admin's alerts key on.
const SECRET = "metrics-nas-secret";
const UPSTREAM_SECRET = "metrics-upstream-secret";
// Admins name clients; the name is a label value, so it must come out escaped, never break the exposition.
const CLIENT_NAME = `asa "edge"\\ 東京 ${randomBytes(2).toString("hex")}`;
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let upstream: TFreeRadius;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let clientId: string;

const get = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${worker.healthPort}${path}`, init);
const scrape = async (): Promise<TSample[]> => {
  const response = await get("/metrics");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return parseMetricsText(await response.text());
};

beforeAll(async () => {
  db = await createIsolatedDatabase();
  upstream = await startFreeRadius({ secret: UPSTREAM_SECRET, users: [{ username: "alice", password: "alice-pass" }] });
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius" });
  await seedUpstream({ prisma: db.prisma, applicationId: application.id, port: upstream.authPort, secret: UPSTREAM_SECRET, position: 0, timeoutMs: 2000 });
  const client = await db.prisma.radiusClient.create({ data: { name: CLIENT_NAME, address: "127.0.0.1", secret: encryptSecret(SECRET), requireMessageAuthenticator: true, applicationId: application.id } });
  clientId = client.id;
  worker = await startTestWorker({ databaseUrl: db.url, healthPort: 0 });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await upstream?.stop();
  await db?.drop();
});

describe("worker /metrics, /readyz, /livez", () => {
  it("counts requests by code, result and reason, drops by client, and times the request, the primary and the upstream", { timeout: 120_000 }, async () => {
    const accepted = await radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": "alice", "User-Password": "alice-pass" } });
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe("Access-Accept");
    const rejected = await radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": "alice", "User-Password": "wrong" } });
    expect(rejected.code).toBe("Access-Reject");
    // A NAS with the wrong shared secret: dropped, filed under this client (Message-Authenticator does not verify).
    await radclient({ port: worker.authPort, secret: "not-the-secret", attributes: { "User-Name": "alice", "User-Password": "x" }, timeoutSec: 1 });
    await radclient({ port: worker.authPort, secret: "not-the-secret", attributes: { "User-Name": "alice", "User-Password": "x" }, timeoutSec: 1 });
    // No Message-Authenticator although the client requires it.
    await radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": "alice", "User-Password": "x" }, messageAuthenticator: false, timeoutSec: 1 });
    const status = await radclient({ port: worker.authPort, secret: SECRET, command: "status", rawAttributes: ["Message-Authenticator = 0x00"] });
    expect(status.code).toBe("Access-Accept");

    const samples = await scrape();
    const accepts = samples.filter((sample) => sample.name === "twofold_radius_requests_total" && sample.labels.code === "accept");
    expect(accepts.map((sample) => sample.labels.result)).toEqual(["success"]);
    expect(accepts.reduce((sum, sample) => sum + sample.value, 0)).toBe(1);
    const rejects = samples.filter((sample) => sample.name === "twofold_radius_requests_total" && sample.labels.code === "reject");
    expect(rejects.map((sample) => [sample.labels.result, sample.labels.reason, sample.value])).toEqual([["failure", "primary_reject", 1]]);
    expect(sampleValue(samples, "twofold_radius_drops_total", { reason: "bad_message_authenticator", client: CLIENT_NAME })).toBe(2);
    expect(sampleValue(samples, "twofold_radius_drops_total", { reason: "missing_message_authenticator", client: CLIENT_NAME })).toBe(1);
    expect(sampleValue(samples, "twofold_radius_status_server_total")).toBe(1);
    expect(sampleValue(samples, "twofold_radius_request_duration_seconds_count", { code: "accept" })).toBe(1);
    expect(sampleValue(samples, "twofold_radius_request_duration_seconds_bucket", { code: "reject", le: "+Inf" })).toBe(1);
    expect(sampleValue(samples, "twofold_primary_duration_seconds_count", { mode: "radius", outcome: "accept" })).toBe(1);
    expect(sampleValue(samples, "twofold_primary_duration_seconds_count", { mode: "radius", outcome: "reject" })).toBe(1);
    expect(sampleValue(samples, "twofold_second_factor_duration_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, "twofold_upstream_duration_seconds_count", { server: `127.0.0.1:${upstream.authPort}`, result: "ok" })).toBe(2);
    expect(sampleValue(samples, "twofold_upstream_up", { server: `127.0.0.1:${upstream.authPort}` })).toBe(1);
    expect(sampleValue(samples, "twofold_config_version")).toBe(worker.configVersion());
    expect(sampleValue(samples, "twofold_spool_active", { log: "auth" })).toBe(0);
    expect(samples.some((sample) => sample.name === "twofold_nodejs_eventloop_lag_p99_seconds")).toBe(true);
    expect(samples.some((sample) => sample.name === "twofold_process_resident_memory_bytes")).toBe(true);

    // The same drops reach the console through the heartbeat, per client id.
    const row = await waitFor(async () => {
      const found = await db.prisma.workerStatus.findUnique({ where: { id: worker.workerId } });
      const stats = found?.stats as { droppedByClient?: Record<string, { total: number }> } | null;
      return (stats?.droppedByClient?.[clientId]?.total ?? 0) >= 3 ? stats : undefined;
    }, { timeoutMs: 20_000 });
    expect(row?.droppedByClient?.[clientId]).toMatchObject({ name: CLIENT_NAME, total: 3, reasons: { bad_message_authenticator: 2, missing_message_authenticator: 1 } });
  });

  it("measures the config reload lag and shows skipped rows as problems", { timeout: 60_000 }, async () => {
    const before = worker.configVersion();
    await db.prisma.radiusClient.create({ data: { name: `broken-${randomBytes(3).toString("hex")}`, address: "10.9.8.7", secret: "not-an-envelope", applicationId: null } });
    await waitFor(() => (worker.configVersion() > before ? true : undefined), { timeoutMs: 20_000 });
    const samples = await waitFor(async () => {
      const scraped = await scrape();
      return sampleValue(scraped, "twofold_config_reload_lag_seconds_count") >= 1 ? scraped : undefined;
    }, { timeoutMs: 10_000 });
    expect(samples).toBeDefined();
    expect(sampleValue(samples ?? [], "twofold_config_problems", { kind: "skipped" })).toBeGreaterThanOrEqual(1);
  });

  it("answers /livez and /readyz, keeps /health, and 404s everything else", async () => {
    expect((await get("/livez")).status).toBe(200);
    const ready = await get("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", database: "reachable", configVersion: worker.configVersion() });
    expect((await get("/health")).status).toBe(200);
    for (const path of ["/METRICS", "/metrics/", "/metrics%00", "/__proto__", "/constructor", `/${"a".repeat(4000)}`]) expect((await get(path)).status, path).toBe(404);
    expect((await get("/metrics", { method: "POST", body: "x" })).status).toBe(404);
    expect((await get("/metrics?name[]=x")).status).toBe(200);
  });
});
