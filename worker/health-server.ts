import { createServer, type Server } from "node:http";

// GET /health → JSON for load balancers and the console. Anything else is 404.
export const startHealthServer = async (options: { host: string; port: number; body: () => unknown }): Promise<{ port: number; close: () => Promise<void> }> => {
  const server: Server = createServer((request, response) => {
    if (request.method === "GET" && request.url?.split("?")[0] === "/health") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(options.body()));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
