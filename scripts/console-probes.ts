import type { IncomingMessage, ServerResponse } from "node:http";
import { createConsoleMetrics } from "../lib/metrics/create-console-metrics";
import { createDatabaseProbe } from "../lib/second-factor/create-database-probe";
import { decideReadiness } from "../lib/workers/decide-readiness";
import { startHealthServer } from "../worker/health-server";

// The console's /metrics, /readyz and /livez. /metrics only on its own listener (loopback by default): the console's
// port faces browsers, often through a public reverse proxy, and the counters are for this host's monitoring.
// /readyz and /livez are answered on both, so a load balancer in front of the console can use its port.
export const startConsoleProbes = async (options: { databaseUrl?: string; host: string; port: number | "off"; log: (line: string) => void }) => {
  const metrics = createConsoleMetrics();
  const probe = options.databaseUrl ? createDatabaseProbe({ databaseUrl: options.databaseUrl }) : async () => "unreachable" as const;
  // Without a snapshot of its own, the console cannot serve while PostgreSQL is away: not ready.
  const ready = async () => decideReadiness({ configVersion: undefined, database: await probe(), needsDatabase: true });
  const routes = { body: () => ({ status: "alive" }), ready, metrics: async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() }) };
  let close = async () => {};
  if (options.port !== "off") {
    // A taken port costs the metrics, not the console: the admins' sign-in page matters more than a scrape.
    await startHealthServer({ host: options.host, port: options.port, ...routes }).then(
      (listener) => {
        options.log(`metrics, readyz and livez on http://${listener.host}:${listener.port}`);
        close = listener.close;
      },
      (error: unknown) => options.log(`metrics listener on ${options.host}:${options.port} not started: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
  return {
    close: () => close(),
    // true when the request was a probe and has been answered here (Next never sees it).
    answer: (request: IncomingMessage, response: ServerResponse): boolean => {
      const path = request.url?.split("?")[0];
      if (request.method !== "GET" || (path !== "/readyz" && path !== "/livez")) {
        metrics.track(request, response);
        return false;
      }
      const reply = (status: number, body: unknown) => response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
      if (path === "/livez") reply(200, { status: "alive", uptimeSec: Math.round(process.uptime()) });
      else ready().then(({ httpStatus, body }) => reply(httpStatus, body), (error: unknown) => reply(500, { error: String(error) }));
      return true;
    },
  };
};
