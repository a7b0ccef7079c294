import { createServer, type Server } from "node:http";

// GET /health → JSON for load balancers and the console. Anything else is 404. Loopback unless told otherwise: the
// counters (drops per reason, auth-log state) help someone probing the worker, so exposing them is a choice.
// `body` may be async: with several worker processes the primary asks each of them (worker/start-worker-pool.ts).
export const startHealthServer = async (options: { host?: string; port: number; body: () => unknown }): Promise<{ host: string; port: number; close: () => Promise<void> }> => {
  const host = options.host ?? "127.0.0.1";
  const server: Server = createServer((request, response) => {
    if (request.method === "GET" && request.url?.split("?")[0] === "/health") {
      Promise.resolve()
        .then(() => options.body())
        .then(
          (body) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body)),
          (error: unknown) => response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: String(error) })),
        );
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  return {
    host: typeof address === "object" && address ? address.address : host,
    port: typeof address === "object" && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
