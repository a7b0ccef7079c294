import { createServer, type ServerResponse, type Server } from "node:http";
import type { TReadiness } from "../lib/workers/decide-readiness";

export type THealthRoutes = {
  body: () => unknown; // GET /health (JSON counters); may be async: with several processes the primary asks each
  ready?: () => Promise<{ httpStatus: number; body: TReadiness }>; // GET /readyz (lib/workers/decide-readiness.ts)
  metrics?: () => Promise<{ contentType: string; text: string }>; // GET /metrics, Prometheus text format
};

const answer = (response: ServerResponse, status: number, contentType: string, text: string) =>
  response.writeHead(status, { "content-type": contentType, "cache-control": "no-store" }).end(text);

const json = (response: ServerResponse, status: number, value: unknown) => answer(response, status, "application/json", JSON.stringify(value));

// GET /health, /readyz, /livez, /metrics; anything else is 404. Loopback unless told otherwise: the counters (drops
// per reason and client, auth-log state) help someone probing the worker, so exposing them is a choice.
export const startHealthServer = async (options: { host?: string; port: number } & THealthRoutes): Promise<{ host: string; port: number; close: () => Promise<void> }> => {
  const host = options.host ?? "127.0.0.1";
  const routes = new Map<string, ((response: ServerResponse) => Promise<unknown>) | undefined>(Object.entries({
    "/health": async (response) => json(response, 200, await options.body()),
    // The process runs its event loop: nothing else is asked, so a database outage never restarts a worker.
    "/livez": async (response) => json(response, 200, { status: "alive", uptimeSec: Math.round(process.uptime()) }),
    "/readyz": options.ready
      ? async (response) => {
          const { httpStatus, body } = await options.ready!();
          json(response, httpStatus, body);
        }
      : undefined,
    "/metrics": options.metrics
      ? async (response) => {
          const { contentType, text } = await options.metrics!();
          answer(response, 200, contentType, text);
        }
      : undefined,
  }));
  const server: Server = createServer((request, response) => {
    const route = request.method === "GET" ? routes.get(request.url?.split("?")[0] ?? "") : undefined;
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    route(response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { error: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  return {
    host: typeof address === "object" && address ? address.address : host,
    port: typeof address === "object" && address ? address.port : options.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections(); // a scraper's keep-alive connection must not hold the stop
      }),
  };
};
