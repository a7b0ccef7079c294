import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { TEventWriterStats } from "../auth-log/create-event-writer";
import type { TConfigSnapshot } from "../config/snapshot-schema";
import { RadiusCode } from "../radius/constants";
import type { TClientDrops } from "./count-client-drops";

// What the scrape reads from the worker's own counters. Read only when /metrics is asked, so the hot path pays
// nothing for them; only the labelled request counter and the histograms are touched per request.
export type TWorkerMetricSources = {
  counters: () => { received: number; absorbed: number; resent: number; status: number; accounting: number; errors: number };
  drops: () => Record<string, number>; // every drop by reason (auth, accounting, CoA ports)
  clientDrops: () => TClientDrops;
  snapshot: () => TConfigSnapshot;
  upstreamDown: (serverId: string) => boolean;
  pendingPushes: () => number;
  eventLogs: () => { log: "auth" | "accounting"; stats: TEventWriterStats; lagSeconds: number }[];
  accountingForward: () => { pending: number; delivered: number; dropped: number; failedAttempts: number };
};

export type TWorkerMetrics = ReturnType<typeof createWorkerMetrics>;

// Seconds, the Prometheus convention; from a few ms (a cached answer) to a push the user takes a minute to approve.
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const CODE_NAMES = new Map<number, string>([
  [RadiusCode.AccessAccept, "accept"],
  [RadiusCode.AccessReject, "reject"],
  [RadiusCode.AccessChallenge, "challenge"],
]);

// One registry per worker process. With several processes the primary adds them up (AggregatorRegistry.aggregate):
// `aggregator` says how, per metric (versions: the lowest served; lags and flags: the worst process).
export const createWorkerMetrics = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "twofold_" }); // process CPU/memory/fds, event-loop delay, GC
  let sources: TWorkerMetricSources | undefined;
  const registers = [registry];

  const requests = new Counter({ name: "twofold_radius_requests_total", help: "Access-Requests answered, by reply code, result and reason code", labelNames: ["code", "result", "reason"], registers });
  const requestSeconds = new Histogram({ name: "twofold_radius_request_duration_seconds", help: "Access-Request received to reply sent (journal included)", labelNames: ["code"], buckets: LATENCY_BUCKETS, registers });
  const primarySeconds = new Histogram({ name: "twofold_primary_duration_seconds", help: "Primary authentication (upstream RADIUS, LDAP, local)", labelNames: ["mode", "outcome"], buckets: LATENCY_BUCKETS, registers });
  const secondFactorSeconds = new Histogram({ name: "twofold_second_factor_duration_seconds", help: "Second factor, push waits included", labelNames: ["decision"], buckets: LATENCY_BUCKETS, registers });
  const upstreamSeconds = new Histogram({ name: "twofold_upstream_duration_seconds", help: "One exchange with an upstream RADIUS server or NAS (retries included)", labelNames: ["server", "result"], buckets: LATENCY_BUCKETS, registers });
  const reloadLag = new Histogram({ name: "twofold_config_reload_lag_seconds", help: "Configuration change committed to the new snapshot served (database clock vs worker clock)", buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers });

  const fromSources = <T>(read: (from: TWorkerMetricSources) => T, apply: (value: T) => void) => () => {
    if (sources) apply(read(sources));
  };
  const counterOf = (name: string, help: string, labelNames: string[], read: (from: TWorkerMetricSources) => [Record<string, string>, number][]) => {
    const metric: Counter = new Counter({ name, help, labelNames, registers, collect: fromSources(read, (rows) => {
      metric.reset();
      for (const [labels, value] of rows) metric.inc(labels, value);
    }) });
  };
  const gaugeOf = (name: string, help: string, labelNames: string[], aggregator: "sum" | "min" | "max", read: (from: TWorkerMetricSources) => [Record<string, string>, number][]) => {
    const metric: Gauge = new Gauge({ name, help, labelNames, registers, aggregator, collect: fromSources(read, (rows) => {
      metric.reset();
      for (const [labels, value] of rows) metric.set(labels, value);
    }) });
  };

  counterOf("twofold_radius_received_total", "Datagrams received on the authentication port", [], (s) => [[{}, s.counters().received]]);
  counterOf("twofold_radius_retransmits_total", "Retransmits: absorbed while in progress, or answered again from the cache", ["kind"], (s) => [[{ kind: "absorbed" }, s.counters().absorbed], [{ kind: "resent" }, s.counters().resent]]);
  counterOf("twofold_radius_status_server_total", "Status-Server requests answered", [], (s) => [[{}, s.counters().status]]);
  counterOf("twofold_radius_accounting_requests_total", "Accounting-Requests stored and answered", [], (s) => [[{}, s.counters().accounting]]);
  counterOf("twofold_radius_errors_total", "Datagrams whose handling failed unexpectedly (see the log)", [], (s) => [[{}, s.counters().errors]]);
  // By client for those that matched one; the rest of each reason (unknown sources, CoA) under client="".
  counterOf("twofold_radius_drops_total", "Datagrams dropped unanswered, by reason and RADIUS client", ["reason", "client"], (s) => {
    const rows: [Record<string, string>, number][] = [];
    const matched = new Map<string, number>();
    for (const entry of Object.values(s.clientDrops())) {
      for (const [reason, value] of Object.entries(entry.reasons)) {
        rows.push([{ reason, client: entry.name }, value]);
        matched.set(reason, (matched.get(reason) ?? 0) + value);
      }
    }
    for (const [reason, total] of Object.entries(s.drops())) rows.push([{ reason, client: "" }, Math.max(0, total - (matched.get(reason) ?? 0))]);
    return rows;
  });
  gaugeOf("twofold_config_version", "Configuration version served (lowest of the processes)", [], "min", (s) => [[{}, s.snapshot().version]]);
  gaugeOf("twofold_config_loaded_timestamp_seconds", "When the snapshot served was read (oldest of the processes)", [], "min", (s) => [[{}, s.snapshot().loadedAt.getTime() / 1000]]);
  gaugeOf("twofold_config_problems", "Configuration rows the worker skipped or warns about", ["kind"], "max", (s) => [
    [{ kind: "skipped" }, s.snapshot().problems.filter((problem) => problem.skipped).length],
    [{ kind: "warning" }, s.snapshot().problems.filter((problem) => !problem.skipped).length],
  ]);
  gaugeOf("twofold_upstream_up", "1 unless the upstream RADIUS server is held down after not answering (0 in any process: 0)", ["server", "name"], "min", (s) => {
    const seen = new Map<string, [Record<string, string>, number]>();
    for (const application of s.snapshot().applications)
      for (const server of application.primaryAuthServers)
        if (server.kind === "radius") seen.set(server.id, [{ server: `${server.host}:${server.port}`, name: server.name }, s.upstreamDown(server.id) ? 0 : 1]);
    return [...seen.values()];
  });
  gaugeOf("twofold_push_pending", "Push requests this worker is waiting on", [], "sum", (s) => [[{}, s.pendingPushes()]]);
  gaugeOf("twofold_spool_events", "Events journaled on disk, not yet in PostgreSQL", ["log"], "sum", (s) => s.eventLogs().map((entry) => [{ log: entry.log }, entry.stats.queued]));
  gaugeOf("twofold_spool_active", "1 while the log waits on disk for the database", ["log"], "max", (s) => s.eventLogs().map((entry) => [{ log: entry.log }, entry.stats.spooling ? 1 : 0]));
  gaugeOf("twofold_spool_replay_lag_seconds", "How long events have been waiting for PostgreSQL (0: none waiting)", ["log"], "max", (s) => s.eventLogs().map((entry) => [{ log: entry.log }, entry.lagSeconds]));
  counterOf("twofold_spool_replayed_total", "Events inserted after waiting on disk", ["log"], (s) => s.eventLogs().map((entry) => [{ log: entry.log }, entry.stats.replayed]));
  counterOf("twofold_spool_quarantined_total", "Events the database refused for their content (set aside)", ["log"], (s) => s.eventLogs().map((entry) => [{ log: entry.log }, entry.stats.quarantined]));
  counterOf("twofold_spool_lost_total", "Events neither the journal nor the database took", ["log"], (s) => s.eventLogs().map((entry) => [{ log: entry.log }, entry.stats.lost]));
  // A refused journal write is no longer a lost event (the decision it held is answered as an error reject, logged best
  // effort), but it is the alert: the disk under the spool is full or failing and no login is accepted.
  counterOf("twofold_spool_journal_failed_total", "Events the disk refused to journal (full or failing); accepts among them were answered as error rejects", ["log"], (s) => s.eventLogs().map((entry) => [{ log: entry.log }, entry.stats.journalFailed]));
  gaugeOf("twofold_spool_journal_failing", "1 while the last journal write failed", ["log"], "max", (s) => s.eventLogs().map((entry) => [{ log: entry.log }, entry.stats.journalFailing ? 1 : 0]));
  gaugeOf("twofold_accounting_forward_pending", "Accounting records queued for the upstream accounting server", [], "sum", (s) => [[{}, s.accountingForward().pending]]);
  counterOf("twofold_accounting_forward_total", "Accounting records by fate at the upstream", ["result"], (s) => {
    const stats = s.accountingForward();
    return [[{ result: "delivered" }, stats.delivered], [{ result: "dropped" }, stats.dropped], [{ result: "failed_attempt" }, stats.failedAttempts]];
  });

  return {
    registry,
    attach: (next: TWorkerMetricSources) => {
      sources = next;
    },
    // Hot path: one counter and one histogram, labels from bounded sets (reply codes, reason codes).
    answered: (code: number, result: string, reason: string, startedMs: number) => {
      const name = CODE_NAMES.get(code) ?? "other";
      requests.inc({ code: name, result, reason });
      requestSeconds.observe({ code: name }, (performance.now() - startedMs) / 1000);
    },
    primary: (mode: string, outcome: string, seconds: number) => primarySeconds.observe({ mode, outcome }, seconds),
    secondFactor: (decision: string, seconds: number) => secondFactorSeconds.observe({ decision }, seconds),
    upstream: (server: string, result: string, seconds: number) => upstreamSeconds.observe({ server, result }, seconds),
    configReloaded: (lagSeconds: number) => reloadLag.observe(Math.max(0, lagSeconds)),
  };
};
