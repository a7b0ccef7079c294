// The console's HTTP server (`npm run console`, and what `npm start` runs): Next's request handler behind a socket
// that stamps the TCP peer into a header, because Next itself exposes no peer address to server actions.
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { readServerEnv } from "../lib/env/server-env";
import { PEER_ADDRESS_MARKER_ENV, stampPeerAddress } from "../lib/net/peer-address-header";

const { values } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
// Before Next loads: it reads both at import time.
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "production", [PEER_ADDRESS_MARKER_ENV]: "1" });
const env = readServerEnv(); // also refuses a malformed TWOFOLD_TRUSTED_PROXIES before anything listens
const port = values.port === undefined ? env.TWOFOLD_CONSOLE_PORT : Number(values.port);
const hostname = values.hostname;

const { default: next } = await import("next");
const app = next({ dev: false, dir: process.cwd(), hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((request, response) => {
  stampPeerAddress(request);
  void handle(request, response);
});
server.listen(port, hostname, () => console.log(`[console] listening on ${hostname ?? "*"}:${port}`));

const stop = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
