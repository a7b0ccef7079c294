import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createDropCounter } from "../lib/auth-flow/drop-counter";
import type { TPrisma } from "../lib/db";
import type { TPushListener } from "../lib/push/push-listener";
import { API_ROUTES } from "../lib/duo-api/api-routes";
import { createApiTransactions } from "../lib/duo-api/api-transactions";
import type { TApiDeps, TApiRejectReason, TApiRequest, TApiResponse } from "../lib/duo-api/api-types";
import { DUO_ERRORS, duoError } from "../lib/duo-api/duo-error";
import { encodeApiResponse } from "../lib/duo-api/encode-api-response";
import { handleApiRequest } from "../lib/duo-api/handle-api-request";
import { apiCertificateNames, loadApiTls, type TApiTls } from "../lib/duo-api/load-api-tls";
import type { TApiServerConfig } from "./api-config-from-env";

// The configuration lives apart (worker/api-config-from-env.ts) so worker/main.ts can read it without loading the API.
export { apiConfigFromEnv, type TApiServerConfig } from "./api-config-from-env";

export type TStartApiServerOptions = TApiServerConfig & {
  dataDir: string;
  prisma: TPrisma;
  deps: Omit<TApiDeps, "transactions" | "rejections" | "log" | "maxSkewSec" | "closing">;
  log: (line: string) => void;
  listener?: TPushListener; // the worker's LISTEN connection: a status poll wakes when another worker settles its txid
};

export type TApiServer = { port: number; caFile?: string; names: string[]; tls: TApiTls; stats: () => Record<string, unknown>; close: () => Promise<void> };

const MAX_BODY = 64 * 1024;
// After the drain, how long the logins told "deny, shutting down" get to have that answer written.
const ANSWER_MS = 2000;

const waitUntil = async (done: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
};

const readBody = (request: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    request.on("end", () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    request.on("error", reject);
  });

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const send = (response: ServerResponse, reply: TApiResponse) => {
  response.writeHead(reply.status, { "content-type": reply.contentType, "content-length": reply.body.length });
  response.end(reply.body);
};

// The Duo-compatible HTTPS API of the data plane (Auth API v1/v2): TLS and bytes only; lib/duo-api decides.
export const startApiServer = async (options: TStartApiServerOptions): Promise<TApiServer> => {
  const names = options.tls?.names ?? apiCertificateNames(options.names);
  const tls = options.tls ?? await loadApiTls({ prisma: options.prisma, dataDir: options.dataDir, names, certFile: options.certFile, keyFile: options.keyFile });
  // In PostgreSQL, so a status poll may reach any worker.
  const transactions = createApiTransactions({ prisma: options.prisma, listener: options.listener });
  const rejections = createDropCounter<TApiRejectReason>({ log: (line) => options.log(`api ${line}`) });
  const closing = new AbortController();
  const deps: TApiDeps = { ...options.deps, transactions, rejections, log: options.log, maxSkewSec: options.maxSkewSec ?? 300, closing: closing.signal };
  let requests = 0;
  let inFlight = 0;
  const server: Server = createServer({ cert: tls.cert, key: tls.key, minVersion: "TLSv1.2" }, (request, response) => {
    requests += 1;
    inFlight += 1;
    response.on("close", () => (inFlight -= 1));
    void (async () => {
      const body = await readBody(request);
      const url = request.url ?? "/";
      const question = url.indexOf("?");
      if (!body) return send(response, encodeApiResponse({ family: "auth", bson: false, result: { error: duoError(DUO_ERRORS.invalidParameter, "request body too large") } }));
      const apiRequest: TApiRequest = {
        method: request.method ?? "GET",
        path: question < 0 ? url : url.slice(0, question),
        query: Buffer.from(question < 0 ? "" : url.slice(question + 1), "latin1"),
        host: header(request, "host") ?? "",
        authorization: header(request, "authorization"),
        date: header(request, "x-duo-date") ?? header(request, "date"),
        contentType: header(request, "content-type"),
        body,
        remoteAddress: (request.socket.remoteAddress ?? "").replace(/^::ffff:/, ""),
      };
      send(response, await handleApiRequest(apiRequest, deps, API_ROUTES));
    })().catch((error: unknown) => {
      options.log(`api: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) send(response, encodeApiResponse({ family: "auth", bson: false, result: { error: DUO_ERRORS.internal } }));
    });
  });
  server.on("tlsClientError", (error) => rejections.drop("bad_request", "tls", error.message));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port, host: options.host ?? "0.0.0.0", reusePort: options.reusePort === true }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  options.log(`Duo-compatible API on https://${options.host ?? "0.0.0.0"}:${port} (${tls.source === "generated" ? `certificate for ${names.join(", ")}; CA ${tls.caFile}` : "configured certificate"})`);
  return {
    port,
    caFile: tls.caFile,
    names,
    tls,
    // certificateNames: the console's endpoint card says whether the host it shows is one clients can verify.
    stats: () => ({ port, requests, inFlight, pendingTransactions: transactions.size(), rejected: rejections.counts(), ...(tls.source === "generated" ? { certificateNames: names } : {}) }),
    // No new connections; requests in flight (a push answered inside the request) get drainMs to finish. Then every
    // login still waiting is answered deny ("shutting down", logged) and async ones settled so, and only then are the
    // connections closed: a connection cut mid-request is what pam_duo, login_duo and the Duo proxy let a user in on
    // under failmode=safe.
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await waitUntil(() => inFlight === 0, options.drainMs ?? 5000);
      closing.abort();
      transactions.stop();
      await waitUntil(() => inFlight === 0 && transactions.size() === 0, ANSWER_MS);
      server.closeAllConnections();
      await closed;
    },
  };
};
