import type { TPrisma } from "../db";
import { listenChannel } from "../db/listen-channel";
import { DISCONNECT_REQUESTED_CHANNEL } from "../push/push-schemas";
import type { TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { claimDisconnectRequests } from "./claim-disconnect-requests";
import { expireDisconnectRequests } from "./expire-disconnect-requests";
import { sendClaimedDisconnect } from "./send-claimed-disconnect";

export type TDisconnectSender = { stop: () => Promise<void> };

// A worker's side of the console's Disconnect: claims requests as their NOTIFY arrives, and at every poll in case
// one was missed (a lost LISTEN connection, a request made while no worker ran but not yet expired); sends each
// claimed one through `transport`, the CoA transport bound to TWOFOLD_RADIUS_HOST. Now and then it closes what
// nobody will finish (lib/coa/expire-disconnect-requests.ts). On stop it takes no more and lets the sends in flight
// finish, so a request it claimed is answered, not left "lost".
export const startDisconnectSender = async (options: {
  databaseUrl: string;
  prisma: TPrisma;
  transport: TUpstreamTransport;
  workerId: string;
  nasTimeoutMs: number;
  nasRetries: number;
  pollMs?: number;
  sweepMs?: number;
  log: (line: string) => void;
}): Promise<TDisconnectSender> => {
  const { prisma, workerId, log } = options;
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  let claiming: Promise<void> | undefined;
  let again = false;
  let failing = false;
  const send = (requestId: string) => {
    const sending = sendClaimedDisconnect({ prisma, transport: options.transport, workerId, requestId, timeoutMs: options.nasTimeoutMs, retries: options.nasRetries })
      .catch((error: unknown) => log(`disconnect ${requestId}: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };
  // One claim at a time per worker; a wake during a claim runs one more, so no NOTIFY is left unserved.
  const claim = () => {
    if (stopped) return;
    if (claiming) return void (again = true);
    claiming = (async () => {
      do {
        again = false;
        try {
          for (const id of await claimDisconnectRequests({ prisma, workerId })) send(id);
          if (failing) log("disconnect claim: database reachable again");
          failing = false;
        } catch (error) {
          // Once per outage, not at every poll: the pool and the heartbeat report the outage too.
          if (!failing) log(`disconnect claim: ${error instanceof Error ? error.message : String(error)}`);
          failing = true;
        }
      } while (again && !stopped);
    })().finally(() => (claiming = undefined));
  };
  const sweep = () => {
    const sweeping = expireDisconnectRequests({ prisma })
      .then(
        (closed) => void (closed.length > 0 && log(`disconnect: closed ${closed.length} request(s) nobody finished (${closed.map((row) => row.status).join(", ")})`)),
        (error: unknown) => void (!failing && log(`disconnect sweep: ${error instanceof Error ? error.message : String(error)}`)),
      )
      .finally(() => inFlight.delete(sweeping));
    inFlight.add(sweeping);
  };
  const listener = await listenChannel({ databaseUrl: options.databaseUrl, channel: DISCONNECT_REQUESTED_CHANNEL, onPayload: claim, onReconnect: claim, log });
  const poll = setInterval(claim, options.pollMs ?? 2000);
  const sweeper = setInterval(sweep, options.sweepMs ?? 30_000);
  poll.unref();
  sweeper.unref();
  claim();
  sweep();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(poll);
      clearInterval(sweeper);
      await listener.stop();
      await claiming;
      await Promise.allSettled([...inFlight]);
    },
  };
};
