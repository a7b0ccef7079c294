import { createSocket } from "node:dgram";
import { createServer, isIPv6 } from "node:net";
import { z } from "zod";
import type { TDoctorCheck } from "./doctor-types";

type TPort = { protocol: "udp" | "tcp"; host: string; port: number; role: string };

const tryBind = (target: TPort): Promise<string | undefined> =>
  new Promise((resolve) => {
    if (target.protocol === "udp") {
      const socket = createSocket(isIPv6(target.host) ? "udp6" : "udp4");
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      socket.bind(target.port, target.host, () => socket.close(() => resolve(undefined)));
      return;
    }
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ port: target.port, host: target.host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });

const ZHealthSchema = z.object({ workerId: z.string() });

// A port held by this host's own running worker is what we want to see, not a clash: its health endpoint says so.
const runningWorker = async (options: { host: string; port: number }): Promise<string | undefined> => {
  const host = options.host === "0.0.0.0" ? "127.0.0.1" : options.host === "::" ? "::1" : options.host;
  try {
    const response = await fetch(`http://${isIPv6(host) ? `[${host}]` : host}:${options.port}/health`, { signal: AbortSignal.timeout(2000) });
    const body = ZHealthSchema.safeParse(await response.json());
    return body.success ? body.data.workerId : undefined;
  } catch {
    return undefined;
  }
};

// Every port the worker binds at start — RADIUS, CoA (RFC 5176, same host as RADIUS), the Duo-compatible API and
// health: free (a worker can start) or held by a running Twofold worker. Anything else — a FreeRADIUS or a Duo proxy
// still on 1812, another service on 8443 — would stop the worker from starting.
export const checkPorts = async (options: {
  radiusHost: string;
  authPort: number;
  acctPort: number;
  coaPorts: number[];
  apiHost: string;
  apiPort?: number; // undefined: TWOFOLD_API_PORT=off, nothing to bind
  healthHost: string;
  healthPort: number;
}): Promise<TDoctorCheck> => {
  const all: TPort[] = [
    { protocol: "udp", host: options.radiusHost, port: options.authPort, role: "RADIUS auth" },
    { protocol: "udp", host: options.radiusHost, port: options.acctPort, role: "RADIUS accounting" },
    ...options.coaPorts.map((port): TPort => ({ protocol: "udp", host: options.radiusHost, port, role: "CoA" })),
    ...(options.apiPort === undefined ? [] : [{ protocol: "tcp" as const, host: options.apiHost, port: options.apiPort, role: "Duo API" }]),
    { protocol: "tcp", host: options.healthHost, port: options.healthPort, role: "health" },
  ];
  const ports = all.filter((port) => port.port > 0);
  const results = await Promise.all(ports.map(async (port) => ({ port, error: await tryBind(port) })));
  const busy = results.filter((result) => result.error);
  const label = (port: TPort) => `${port.protocol} ${port.host}:${port.port} (${port.role})`;
  if (busy.length === 0) return { name: "ports", ok: true, detail: `free: ${ports.map(label).join(", ")}` };
  const worker = await runningWorker({ host: options.healthHost, port: options.healthPort });
  const clashes = busy.filter((result) => !(worker && result.error === "EADDRINUSE"));
  if (clashes.length === 0) return { name: "ports", ok: true, detail: `in use by the running Twofold worker ${worker}: ${busy.map((result) => label(result.port)).join(", ")}` };
  return {
    name: "ports",
    ok: false,
    detail: clashes.map((result) => `${label(result.port)}: ${result.error === "EADDRINUSE" ? "in use by another process" : result.error}`).join("; "),
  };
};
