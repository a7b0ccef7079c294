import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMetricsText, sampleValue } from "../lib/metrics/parse-metrics-text";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { radclient } from "../lib/testing/radclient";
import { createUdpRadiusClient, textAttribute } from "../lib/testing/udp-radius-client";
import { probeReusePort } from "./reuse-port";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedClient } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";
import { spawnWorkerHost } from "../lib/testing/spawn-worker-host";

// worker/main.ts with 2 processes, as production runs it: the primary's /metrics must add up both processes.
const SECRET = "pool-metrics-secret";
const support = await probeReusePort();
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let clientName: string;
const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-pool-metrics-"));

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "none" });
  clientName = (await seedClient({ prisma: db.prisma, applicationId: application.id, secret: SECRET })).name;
});

afterAll(async () => {
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("/metrics of a host with several worker processes", () => {
  it("aggregates every process's counters and histograms, and /readyz answers for the host", { timeout: 120_000 }, async (context) => {
    context.skip(!support.ok, support.ok ? undefined : `needs SO_REUSEPORT for UDP: ${support.why}`);
    const host = spawnWorkerHost({ dataDir, env: { TWOFOLD_RADIUS_HOST: "127.0.0.1", TWOFOLD_RADIUS_AUTH_PORT: "0", TWOFOLD_RADIUS_ACCT_PORT: "0", TWOFOLD_COA_PORTS: "", TWOFOLD_HEALTH_PORT: "0", TWOFOLD_API_PORT: "off", TWOFOLD_DATA_DIR: dataDir, DATABASE_URL: db.url, TWOFOLD_WORKER_PROCESSES: "2", TWOFOLD_WORKER_ID: `pool-${randomBytes(3).toString("hex")}` } });
    const { child, exited } = host;
    try {
      const ready = await waitFor(() => /serving RADIUS on 127\.0\.0\.1:(\d+) \(auth\).*health on 127\.0\.0\.1:(\d+)/.exec(host.output()) ?? undefined, { timeoutMs: 60_000 });
      expect(ready, host.output()).toBeDefined();
      const [authPort, healthPort] = [Number(ready?.[1]), Number(ready?.[2])];
      const url = (route: string) => `http://127.0.0.1:${healthPort}${route}`;

      // 20 NAS source ports: the kernel spreads them over both processes.
      const clients = await Promise.all(Array.from({ length: 20 }, () => createUdpRadiusClient({ port: authPort, secret: SECRET })));
      const codes = await Promise.all(clients.map((client, i) => client.send({ attributes: [textAttribute(Attr.UserName, `pool-user-${i}`)], password: "pw", retries: 2, timeoutMs: 3000 })));
      await Promise.all(clients.map((client) => client.close()));
      expect(codes).toEqual(Array.from({ length: 20 }, () => RadiusCode.AccessAccept));
      for (let i = 0; i < 3; i += 1) await radclient({ port: authPort, secret: "wrong-secret", attributes: { "User-Name": "x", "User-Password": "y" }, timeoutSec: 1 });

      const health = (await (await fetch(url("/health"))).json()) as { processes: { counters?: { accepted?: number } }[] };
      expect(health.processes.filter((entry) => (entry.counters?.accepted ?? 0) > 0).length, JSON.stringify(health)).toBe(2);
      const response = await fetch(url("/metrics"));
      expect(response.status).toBe(200);
      const samples = parseMetricsText(await response.text());
      expect(sampleValue(samples, "twofold_radius_requests_total", { code: "accept", result: "success" })).toBe(20);
      expect(sampleValue(samples, "twofold_radius_request_duration_seconds_count", { code: "accept" })).toBe(20);
      expect(sampleValue(samples, "twofold_radius_received_total")).toBe(23);
      expect(sampleValue(samples, "twofold_radius_drops_total", { reason: "bad_message_authenticator", client: clientName })).toBe(3);
      expect(sampleValue(samples, "twofold_worker_processes", { state: "serving" })).toBe(2);
      expect(sampleValue(samples, "twofold_config_version")).toBeGreaterThan(0);
      // One series per label set after aggregation (no duplicates a Prometheus server would refuse).
      const keys = samples.map((sample) => `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`);
      expect(new Set(keys).size).toBe(keys.length);

      // Concurrent scrapes: each gets its own answers from both processes (IPC replies matched by request id).
      const concurrent = await Promise.all(Array.from({ length: 6 }, async () => parseMetricsText(await (await fetch(url("/metrics"))).text())));
      expect(concurrent.map((scraped) => sampleValue(scraped, "twofold_radius_requests_total", { code: "accept" }))).toEqual(Array.from({ length: 6 }, () => 20));

      const readyz = await fetch(url("/readyz"));
      expect(readyz.status).toBe(200);
      expect(await readyz.json()).toMatchObject({ status: "ready", database: "reachable" });
      expect((await fetch(url("/livez"))).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
      expect(await exited, host.output()).toBe(0);
    }
  });
});
