// The console's HTTP server (`npm run console`, and what `npm start` runs): Next's request handler behind a socket
// that stamps the TCP peer into a header, because Next itself exposes no peer address to server actions.
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { readConsoleEnv } from "../lib/env/read-console-env";
import { ZServerEnvSchema } from "../lib/env/server-env";
import { PEER_ADDRESS_MARKER_ENV, stampPeerAddress } from "../lib/net/peer-address-header";
import { createLogger } from "../lib/log/create-logger";
import { lineLog } from "../lib/log/line-log";
import { startConsoleProbes } from "./console-probes";

// A bad start is one line naming the variable, not a stack trace, and it happens before Next loads or anything listens.
const refuseToStart = (error: unknown): never => {
  console.error(`[console] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
};
const readStart = () => {
  const { values } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
  const env = readConsoleEnv(); // DATABASE_URL, the key and every TWOFOLD_* value, as strictly as the worker
  if (values.port === undefined) return { port: env.TWOFOLD_CONSOLE_PORT, hostname: values.hostname };
  const port = ZServerEnvSchema.shape.TWOFOLD_CONSOLE_PORT.safeParse(values.port);
  if (!port.success) throw new Error(`-p ${values.port}: not a port (0-65535)`);
  return { port: port.data, hostname: values.hostname };
};
const { port, hostname } = (() => {
  try {
    return readStart();
  } catch (error) {
    return refuseToStart(error);
  }
})();
// Before Next loads: it reads both at import time.
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "production", [PEER_ADDRESS_MARKER_ENV]: "1" });

const { default: next } = await import("next");
const app = next({ dev: false, dir: process.cwd(), hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
// /metrics on its own loopback listener; /readyz and /livez there and on the console's port (scripts/console-probes.ts).
const probeEnv = ZServerEnvSchema.parse(process.env);
const consoleLogger = createLogger({ name: "console" }); // JSON lines; pretty in a terminal
const probes = await startConsoleProbes({
  databaseUrl: process.env.DATABASE_URL,
  host: probeEnv.TWOFOLD_CONSOLE_METRICS_HOST,
  port: probeEnv.TWOFOLD_CONSOLE_METRICS_PORT,
  log: lineLog(consoleLogger),
});

const server = createServer((request, response) => {
  if (probes.answer(request, response)) return;
  stampPeerAddress(request);
  void handle(request, response);
});
server.listen(port, hostname, () => consoleLogger.info(`listening on ${hostname ?? "*"}:${port}`));

const stop = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
