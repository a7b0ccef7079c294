import type { TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import type { TWorkerMetrics } from "./create-worker-metrics";

// Every exchange the worker makes upstream (primary RADIUS, accounting forward, dACL download, CoA to the NAS) timed
// by destination. The transport already measures `ms`; the label is host:port, bounded by the configuration.
export const timeUpstreamTransport = (options: { transport: TUpstreamTransport; metrics: Pick<TWorkerMetrics, "upstream"> }): TUpstreamTransport => ({
  ...options.transport,
  exchange: async (request) => {
    const result = await options.transport.exchange(request);
    options.metrics.upstream(`${request.target.host}:${request.target.port}`, result.ok ? "ok" : result.kind, result.ms / 1000);
    return result;
  },
});
