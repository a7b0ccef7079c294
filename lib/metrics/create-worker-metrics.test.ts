import { describe, expect, it } from "vitest";
import { AggregatorRegistry } from "prom-client";
import type { TEventWriterStats } from "../auth-log/create-event-writer";
import type { TConfigSnapshot } from "../config/snapshot-schema";
import { RadiusCode } from "../radius/constants";
import { createClientDropCounter } from "./count-client-drops";
import { createWorkerMetrics, type TWorkerMetricSources } from "./create-worker-metrics";
import { parseMetricsText, sampleValue } from "./parse-metrics-text";

const writerStats = (over: Partial<TEventWriterStats> = {}): TEventWriterStats => ({ queued: 0, inserted: 0, spooled: 0, replayed: 0, quarantined: 0, journalFailed: 0, lost: 0, spooling: false, journalFailing: false, ...over });

const sources = (over: Partial<TWorkerMetricSources> & { version?: number } = {}): TWorkerMetricSources => {
  const snapshot = { version: over.version ?? 7, loadedAt: new Date(1_000_000), clients: [], applications: [], globalPolicy: null, policyOverrides: [], problems: [{ table: "RadiusClient", rowId: "r1", field: "address", message: "bad", skipped: true }] } as unknown as TConfigSnapshot;
  return {
    counters: () => ({ received: 5, absorbed: 1, resent: 2, status: 0, accounting: 3, errors: 0 }),
    drops: () => ({}),
    clientDrops: () => ({}),
    snapshot: () => snapshot,
    upstreamDown: () => false,
    pendingPushes: () => 0,
    eventLogs: () => [{ log: "auth", stats: writerStats(), lagSeconds: 0 }],
    accountingForward: () => ({ pending: 0, delivered: 0, dropped: 0, failedAttempts: 0 }),
    ...over,
  };
};

describe("worker metrics", () => {
  it("counts answered requests by code, result and reason, and times them", async () => {
    const metrics = createWorkerMetrics();
    metrics.attach(sources());
    metrics.answered(RadiusCode.AccessAccept, "success", "primary_only", performance.now());
    metrics.answered(RadiusCode.AccessAccept, "success", "primary_only", performance.now());
    metrics.answered(RadiusCode.AccessReject, "failure", "primary_rejected", performance.now());
    metrics.answered(99, "error", "error", performance.now());
    const samples = parseMetricsText(await metrics.registry.metrics());
    expect(sampleValue(samples, "twofold_radius_requests_total", { code: "accept", result: "success", reason: "primary_only" })).toBe(2);
    expect(sampleValue(samples, "twofold_radius_requests_total", { code: "reject", reason: "primary_rejected" })).toBe(1);
    expect(sampleValue(samples, "twofold_radius_requests_total", { code: "other" })).toBe(1);
    expect(sampleValue(samples, "twofold_radius_request_duration_seconds_count", { code: "accept" })).toBe(2);
    expect(sampleValue(samples, "twofold_radius_retransmits_total", { kind: "resent" })).toBe(2);
    expect(sampleValue(samples, "twofold_config_version")).toBe(7);
    expect(sampleValue(samples, "twofold_config_problems", { kind: "skipped" })).toBe(1);
    // Default process metrics under the prefix, event-loop delay among them.
    expect(samples.some((sample) => sample.name === "twofold_nodejs_eventloop_lag_p99_seconds")).toBe(true);
    expect(samples.some((sample) => sample.name === "twofold_process_cpu_seconds_total")).toBe(true);
  });

  it("splits drops by client, files the rest of each reason under client=\"\", and escapes hostile client names", async () => {
    const clientDrops = createClientDropCounter();
    const hostile = 'asa "core"\n\\ 東京 \u0007';
    clientDrops.count({ id: "c1", name: hostile }, "bad_message_authenticator");
    clientDrops.count({ id: "c1", name: hostile }, "bad_message_authenticator");
    clientDrops.count({ id: "c2", name: "vpn-2" }, "missing_message_authenticator");
    const metrics = createWorkerMetrics();
    metrics.attach(sources({ drops: () => ({ bad_message_authenticator: 2, missing_message_authenticator: 1, unknown_client: 4 }), clientDrops: () => clientDrops.snapshot() }));
    const samples = parseMetricsText(await metrics.registry.metrics());
    expect(sampleValue(samples, "twofold_radius_drops_total", { reason: "bad_message_authenticator", client: hostile })).toBe(2);
    expect(sampleValue(samples, "twofold_radius_drops_total", { reason: "bad_message_authenticator", client: "" })).toBe(0);
    expect(sampleValue(samples, "twofold_radius_drops_total", { reason: "missing_message_authenticator", client: "vpn-2" })).toBe(1);
    expect(sampleValue(samples, "twofold_radius_drops_total", { reason: "unknown_client", client: "" })).toBe(4);
    expect(sampleValue(samples, "twofold_radius_drops_total")).toBe(7);
    expect(clientDrops.snapshot()).toEqual({ c1: { name: hostile, total: 2, reasons: { bad_message_authenticator: 2 } }, c2: { name: "vpn-2", total: 1, reasons: { missing_message_authenticator: 1 } } });
  });

  it("adds up processes as a host: counters summed, config version the lowest, spool flags the worst", async () => {
    const first = createWorkerMetrics();
    first.attach(sources({ version: 9, eventLogs: () => [{ log: "auth", stats: writerStats({ queued: 3, spooling: true, journalFailed: 2, journalFailing: true }), lagSeconds: 12 }] }));
    const second = createWorkerMetrics();
    second.attach(sources({ version: 8, eventLogs: () => [{ log: "auth", stats: writerStats({ queued: 1 }), lagSeconds: 0 }] }));
    first.answered(RadiusCode.AccessAccept, "success", "primary_only", performance.now());
    second.answered(RadiusCode.AccessAccept, "success", "primary_only", performance.now());
    const host = AggregatorRegistry.aggregate([await first.registry.getMetricsAsJSON(), await second.registry.getMetricsAsJSON()]);
    const samples = parseMetricsText(await host.metrics());
    expect(sampleValue(samples, "twofold_radius_requests_total", { code: "accept" })).toBe(2);
    expect(sampleValue(samples, "twofold_radius_request_duration_seconds_count")).toBe(2);
    expect(sampleValue(samples, "twofold_radius_received_total")).toBe(10);
    expect(sampleValue(samples, "twofold_config_version")).toBe(8);
    expect(sampleValue(samples, "twofold_spool_events", { log: "auth" })).toBe(4);
    expect(sampleValue(samples, "twofold_spool_active", { log: "auth" })).toBe(1);
    expect(sampleValue(samples, "twofold_spool_replay_lag_seconds", { log: "auth" })).toBe(12);
    expect(sampleValue(samples, "twofold_spool_journal_failed_total", { log: "auth" })).toBe(2);
    expect(sampleValue(samples, "twofold_spool_journal_failing", { log: "auth" })).toBe(1);
    expect(sampleValue(samples, "twofold_spool_lost_total", { log: "auth" })).toBe(0);
  });
});
