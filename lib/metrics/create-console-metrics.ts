import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

// The console's Prometheus registry: its process (CPU, memory, event-loop delay) and its HTTP traffic by method and
// status. Never by path: paths carry ids and whatever a scanner sends, which would grow the series without bound.
export const createConsoleMetrics = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "twofold_console_" });
  const requests = new Counter({ name: "twofold_console_http_requests_total", help: "Console HTTP requests answered, by method and status", labelNames: ["method", "status"], registers: [registry] });
  const seconds = new Histogram({
    name: "twofold_console_http_request_duration_seconds",
    help: "Console HTTP request to response finished",
    labelNames: ["method"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    // Called once per request before Next handles it; counts when the response is done (or the client went away).
    track: (request: IncomingMessage, response: ServerResponse) => {
      const started = performance.now();
      const method = METHODS.has(request.method ?? "") ? (request.method as string) : "other";
      response.once("close", () => {
        requests.inc({ method, status: String(response.statusCode) });
        seconds.observe({ method }, (performance.now() - started) / 1000);
      });
    },
  };
};
