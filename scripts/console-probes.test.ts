import { createServer, type Server } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { parseMetricsText, sampleValue } from "../lib/metrics/parse-metrics-text";
import { startConsoleProbes } from "./console-probes";

// The console's probes as scripts/serve-console.ts wires them, in front of a stand-in for Next's handler, against the
// run's real PostgreSQL (and a port where none listens).
const servers: Server[] = [];
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  for (const close of closers) await close();
});

const start = async (databaseUrl: string | undefined) => {
  const lines: string[] = [];
  const probes = await startConsoleProbes({ databaseUrl, host: "127.0.0.1", port: 0, log: (line) => lines.push(line) });
  closers.push(probes.close);
  const server = createServer((request, response) => {
    if (probes.answer(request, response)) return;
    response.writeHead(request.url === "/missing" ? 404 : 200).end("page");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const consolePort = typeof address === "object" && address ? address.port : 0;
  const metricsPort = Number(/127\.0\.0\.1:(\d+)/.exec(lines.join("\n"))?.[1]);
  return { consoleUrl: `http://127.0.0.1:${consolePort}`, metricsUrl: `http://127.0.0.1:${metricsPort}`, lines };
};

describe("console /metrics, /readyz, /livez", () => {
  it("counts the console's HTTP traffic by method and status on its own listener, never on the console's port", { timeout: 30_000 }, async () => {
    const { consoleUrl, metricsUrl } = await start(process.env.DATABASE_URL);
    for (let i = 0; i < 3; i += 1) expect((await fetch(`${consoleUrl}/users?q=${i}`)).status).toBe(200);
    expect((await fetch(`${consoleUrl}/missing`)).status).toBe(404);
    expect((await fetch(`${consoleUrl}/api/x`, { method: "POST", body: "{}" })).status).toBe(200);
    // /metrics on the console's port is Next's business (a 200 "page" here), not the counters.
    expect(await (await fetch(`${consoleUrl}/metrics`)).text()).toBe("page");
    const samples = parseMetricsText(await (await fetch(`${metricsUrl}/metrics`)).text());
    expect(sampleValue(samples, "twofold_console_http_requests_total", { method: "GET", status: "200" })).toBe(4);
    expect(sampleValue(samples, "twofold_console_http_requests_total", { method: "GET", status: "404" })).toBe(1);
    expect(sampleValue(samples, "twofold_console_http_requests_total", { method: "POST", status: "200" })).toBe(1);
    expect(sampleValue(samples, "twofold_console_http_request_duration_seconds_count", { method: "GET" })).toBe(5);
    expect(samples.some((sample) => sample.name === "twofold_console_process_resident_memory_bytes")).toBe(true);
    expect(samples.some((sample) => sample.name === "twofold_console_nodejs_eventloop_lag_p99_seconds")).toBe(true);
    // Probes are not counted as console traffic, and no path becomes a label.
    await fetch(`${consoleUrl}/livez`);
    const after = parseMetricsText(await (await fetch(`${metricsUrl}/metrics`)).text());
    expect(sampleValue(after, "twofold_console_http_requests_total")).toBe(6);
    expect(after.every((sample) => !("path" in sample.labels))).toBe(true);
  });

  it("is ready with its database on both ports, 503 without it, and alive either way", { timeout: 30_000 }, async () => {
    const up = await start(process.env.DATABASE_URL);
    for (const base of [up.consoleUrl, up.metricsUrl]) {
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status, base).toBe(200);
      expect(await ready.json()).toMatchObject({ status: "ready", database: "reachable" });
      expect((await fetch(`${base}/livez`)).status).toBe(200);
    }
    const down = await start("postgresql://twofold:pw@127.0.0.1:1/none");
    const refused = await fetch(`${down.consoleUrl}/readyz`);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ status: "degraded", database: "unreachable" });
    expect((await fetch(`${down.consoleUrl}/livez`)).status).toBe(200);
  });

  it("keeps the console up when the metrics port is taken, and says so", { timeout: 30_000 }, async () => {
    const first = await start(process.env.DATABASE_URL);
    const taken = Number(new URL(first.metricsUrl).port);
    const lines: string[] = [];
    const probes = await startConsoleProbes({ databaseUrl: process.env.DATABASE_URL, host: "127.0.0.1", port: taken, log: (line) => lines.push(line) });
    closers.push(probes.close);
    expect(lines.join("\n")).toMatch(/not started: .*EADDRINUSE/);
  });
});
