import { lookup } from "node:dns/promises";
import type { Socket } from "node:dgram";
import { isIP } from "node:net";
import type { TAuthEventInput } from "../lib/auth-log/auth-event-schema";
import type { TDropCounter } from "../lib/auth-flow/drop-counter";
import type { TRetransmitCache } from "../lib/auth-flow/retransmit-cache";
import { processCoaDatagram, type TCoaDeps } from "../lib/coa/process-coa-datagram";
import type { TConfigSnapshot } from "../lib/config/snapshot-schema";
import { bindUdp, closeUdp } from "./bind-udp";

export type TCoaServer = { ports: number[]; stats: () => { received: number; answered: number }; close: () => Promise<void> };

// Upstream servers configured by name: looked up in the background (CoA is matched by the sender's address), kept a
// minute. An address not resolved yet matches nothing, and ISE's retransmit a moment later finds it.
const createHostResolver = (log: (line: string) => void) => {
  const cache = new Map<string, { addresses: string[]; at: number }>();
  const refresh = (host: string) => {
    cache.set(host, { addresses: cache.get(host)?.addresses ?? [], at: Date.now() });
    lookup(host, { all: true }).then(
      (found) => cache.set(host, { addresses: found.map((entry) => entry.address), at: Date.now() }),
      (error: unknown) => log(`CoA: cannot resolve upstream ${host}: ${String(error)}`),
    );
  };
  return (host: string): readonly string[] => {
    if (isIP(host)) return [host];
    const entry = cache.get(host);
    if (!entry || Date.now() - entry.at > 60_000) refresh(host);
    return entry?.addresses ?? [];
  };
};

// ISE's CoA-Request / Disconnect-Request (RFC 5176) on each configured port (1700, 3799): sockets only, the
// decisions are lib/coa's. Every request answered is journaled in the auth log before ISE gets the answer.
export const startCoaServer = async (options: {
  host: string;
  ports: readonly number[];
  reusePort?: boolean;
  snapshot: () => TConfigSnapshot;
  cache: TRetransmitCache;
  deps: TCoaDeps;
  journal: (event: TAuthEventInput) => Promise<unknown>;
  drops: TDropCounter;
  log: (line: string) => void;
}): Promise<TCoaServer> => {
  const hostAddresses = createHostResolver(options.log);
  const counters = { received: 0, answered: 0 };
  const sockets: Socket[] = [];
  let closing = false;
  const serve = (socket: Socket) =>
    socket.on("message", (message, rinfo) => {
      if (closing) return;
      counters.received += 1;
      void processCoaDatagram({ message, address: rinfo.address, port: rinfo.port, snapshot: options.snapshot(), cache: options.cache, hostAddresses, deps: options.deps })
        .then(async (outcome) => {
          if (outcome.kind === "drop") return options.drops.drop(outcome.reason, `${rinfo.address}:${rinfo.port}`, `CoA port: ${outcome.detail}`);
          if (outcome.kind === "absorbed") return;
          if (outcome.kind === "answered") {
            await options.journal(outcome.event).catch((error: unknown) => options.log(`auth log (CoA): ${String(error)}`));
            outcome.complete();
            counters.answered += 1;
          }
          if (!closing) socket.send(outcome.reply, rinfo.port, rinfo.address);
        })
        .catch((error: unknown) => options.log(`CoA datagram: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    });
  try {
    for (const port of options.ports) {
      const bound = await bindUdp({ host: options.host, port, reusePort: options.reusePort });
      sockets.push(bound.socket);
      serve(bound.socket);
    }
  } catch (error) {
    await Promise.all(sockets.map(closeUdp));
    throw error;
  }
  return {
    ports: sockets.map((socket) => socket.address().port),
    stats: () => ({ ...counters }),
    close: async () => {
      closing = true;
      await Promise.all(sockets.map(closeUdp));
    },
  };
};
