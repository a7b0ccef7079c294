import type { TServerEnv } from "../lib/env/server-env";
import type { TApiTls } from "../lib/duo-api/load-api-tls";

// Apart from worker/api-server.ts on purpose: the supervisor of a multi-process host (worker/main.ts) reads this
// configuration to hand it on, and importing the server would load the whole Duo API, push and BSON into it.
export type TApiServerConfig = {
  port: number; // 0 = ephemeral (tests)
  host?: string; // default 0.0.0.0
  names?: string[]; // extra DNS names for the generated certificate (TWOFOLD_API_NAMES)
  certFile?: string;
  keyFile?: string;
  maxSkewSec?: number; // Date skew accepted on dated signatures; default 300
  drainMs?: number; // on stop: how long requests in flight may still finish before those waiting are denied; default 5000
  // Several worker processes of one host on this port (SO_REUSEPORT, Linux 3.9+): the kernel spreads connections.
  reusePort?: boolean;
  // The certificate another process of this host already loaded or generated: used as is, so one host serves one
  // certificate and only the first process writes <dataDir>/api-tls.
  tls?: TApiTls;
};

// TWOFOLD_API_PORT (default 8443, "off" for none), _HOST, _NAMES, _CERT_FILE/_KEY_FILE, _DATE_SKEW_SEC.
export const apiConfigFromEnv = (env: TServerEnv): TApiServerConfig | undefined =>
  env.TWOFOLD_API_PORT === "off"
    ? undefined
    : { port: env.TWOFOLD_API_PORT, host: env.TWOFOLD_API_HOST, names: env.TWOFOLD_API_NAMES, certFile: env.TWOFOLD_API_CERT_FILE, keyFile: env.TWOFOLD_API_KEY_FILE, maxSkewSec: env.TWOFOLD_API_DATE_SKEW_SEC };
