import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import type { TPrisma } from "../lib/db";
import { parseMetricsText, sampleValue } from "../lib/metrics/parse-metrics-text";
import { startRestartableTestDatabase, type TRestartableTestDatabase } from "../lib/testing/test-database";
import { radclient } from "../lib/testing/radclient";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { seedApplication, seedClient } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";

// Its own PostgreSQL server, because this test stops it (as worker/outage.test.ts does).
let database: TRestartableTestDatabase;
let prisma: TPrisma;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
const SECRET = "readiness-secret";

const get = async (path: string) => {
  const response = await fetch(`http://127.0.0.1:${worker.healthPort}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const scrape = async () => await (await fetch(`http://127.0.0.1:${worker.healthPort}/metrics`)).text();

beforeAll(async () => {
  database = await startRestartableTestDatabase();
  prisma = createConfigPrisma({ databaseUrl: database.url });
  const application = await seedApplication({ prisma, primaryAuthMode: "none" });
  await prisma.policy.update({ where: { applicationId: application.id }, data: { failMode: "safe" } });
  await seedClient({ prisma, applicationId: application.id, secret: SECRET });
  worker = await startTestWorker({ databaseUrl: database.url, healthPort: 0 });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await prisma?.$disconnect();
  await database?.stop();
});

describe("worker readiness across a database outage", () => {
  it("is ready, then degraded (still 200, serving its snapshot) while PostgreSQL is stopped, then ready again; livez stays 200", { timeout: 120_000 }, async () => {
    expect(await get("/readyz")).toMatchObject({ status: 200, body: { status: "ready", database: "reachable" } });
    const version = worker.configVersion();
    await prisma.$disconnect();
    await database.pause();
    try {
      const degraded = await waitFor(async () => {
        const answer = await get("/readyz");
        return answer.body.status === "degraded" ? answer : undefined;
      }, { timeoutMs: 30_000, intervalMs: 500 });
      expect(degraded).toMatchObject({ status: 200, body: { status: "degraded", database: "unreachable", configVersion: version } });
      expect(await get("/livez")).toMatchObject({ status: 200, body: { status: "alive" } });
      // Still answering from the snapshot (fail mode safe), and the metrics show the log waiting on disk.
      const during = await radclient({ port: worker.authPort, secret: SECRET, attributes: { "User-Name": "during-outage", "User-Password": "pw" }, timeoutSec: 10 });
      expect(during.code, during.stdout + during.stderr).toBe("Access-Accept");
      const spooling = await waitFor(async () => {
        const text = await scrape();
        return sampleValue(parseMetricsText(text), "twofold_spool_active", { log: "auth" }) === 1 ? text : undefined;
      }, { timeoutMs: 30_000, intervalMs: 500 });
      expect(sampleValue(parseMetricsText(spooling ?? ""), "twofold_spool_events", { log: "auth" })).toBeGreaterThanOrEqual(1);
      expect(sampleValue(parseMetricsText(spooling ?? ""), "twofold_radius_requests_total", { code: "accept", reason: "failmode_safe" })).toBe(1);
    } finally {
      await database.resume();
    }
    const back = await waitFor(async () => {
      const answer = await get("/readyz");
      return answer.body.status === "ready" ? answer : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(back).toMatchObject({ status: 200, body: { status: "ready", database: "reachable" } });
  });
});
