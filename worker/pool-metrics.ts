import { AggregatorRegistry, Counter, Gauge, Registry, type RegistryContentType } from "prom-client";
import type { TSupervisedProcess } from "./supervise-worker-process";

// /metrics of a multi-process host: each process's registry (asked over IPC, worker/worker-pool-messages.ts) added up
// by prom-client's AggregatorRegistry — counters and histograms summed, gauges as each metric's `aggregator` says —
// plus the supervisor's own view of its processes. A process that does not answer within the bound is left out of
// that scrape (its counters come back with it: they live in the process).
export const createPoolMetrics = (options: { members: readonly TSupervisedProcess[]; timeoutMs?: number }) => {
  const own = new Registry();
  const processes = new Gauge({ name: "twofold_worker_processes", help: "Worker processes of this host, by state", labelNames: ["state"], registers: [own] });
  const restarts = new Counter({ name: "twofold_worker_process_restarts_total", help: "Worker processes started again after an unexpected exit", registers: [own] });
  const timeoutMs = options.timeoutMs ?? 1000;
  return async (): Promise<{ contentType: RegistryContentType; text: string }> => {
    const [health, answers] = await Promise.all([
      Promise.all(options.members.map((member) => member.health(timeoutMs))),
      Promise.all(options.members.map((member) => member.metrics(timeoutMs))),
    ]);
    const serving = health.filter((entry) => entry.serving).length;
    processes.set({ state: "serving" }, serving);
    processes.set({ state: "not_serving" }, health.length - serving);
    restarts.reset();
    restarts.inc(health.reduce((sum, entry) => sum + entry.restarts, 0));
    const parts = answers.flatMap((answer) => (answer ? [answer] : []));
    const aggregated = AggregatorRegistry.aggregate([...parts, await own.getMetricsAsJSON()]);
    return { contentType: aggregated.contentType, text: await aggregated.metrics() };
  };
};
