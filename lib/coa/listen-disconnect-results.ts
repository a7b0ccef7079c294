import { listenChannel } from "../db/listen-channel";
import { DISCONNECT_DONE_CHANNEL, ZDisconnectNotifyPayloadSchema } from "../push/push-schemas";

// How long a wait lasts at most without a NOTIFY: the caller re-reads its row then, so a NOTIFY lost with the
// connection costs this much delay, never the answer.
const SAFETY_READ_MS = 1000;

export type TDisconnectResults = {
  // Resolves at the next NOTIFY for the request (or at once for one that came since the last wait), after a
  // reconnect, or after min(ms, 1 s); the caller then re-reads the row. One wait per request at a time.
  next: (requestId: string, ms: number) => Promise<void>;
  close: () => Promise<void>;
};

// The console's LISTEN for the workers' answers, opened before the request is inserted and read.
export const listenDisconnectResults = async (options: { databaseUrl: string }): Promise<TDisconnectResults> => {
  const notified = new Set<string>();
  const waiters = new Map<string, () => void>();
  const listener = await listenChannel({
    databaseUrl: options.databaseUrl,
    channel: DISCONNECT_DONE_CHANNEL,
    onPayload: (payload) => {
      const id = ZDisconnectNotifyPayloadSchema.safeParse(payload);
      if (!id.success) return;
      notified.add(id.data);
      waiters.get(id.data)?.();
    },
    onReconnect: () => {
      for (const wake of [...waiters.values()]) wake();
    },
  });
  return {
    next: (requestId, ms) =>
      new Promise<void>((resolve) => {
        if (notified.delete(requestId)) return resolve();
        const done = () => {
          clearTimeout(timer);
          waiters.delete(requestId);
          notified.delete(requestId);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, Math.min(ms, SAFETY_READ_MS)));
        waiters.set(requestId, done);
      }),
    close: () => listener.stop(),
  };
};
