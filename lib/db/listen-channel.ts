import type pg from "pg";
import { reconnectDelayMs, type TBackoff } from "../push/reconnect-delay";
import { createPgClient } from "./pg-connection";

export type TChannelListener = { stop: () => Promise<void> };

// One LISTEN connection for one channel, kept up with capped backoff (lib/push/reconnect-delay.ts). A NOTIFY sent
// while the connection was down is lost, so `onReconnect` lets the caller re-read what it waits for. Resolves once
// the first LISTEN is in place (a NOTIFY committed after that is delivered); a first connect that fails rejects.
export const listenChannel = async (options: {
  databaseUrl: string;
  channel: string;
  onPayload: (payload: string) => void;
  onReconnect?: () => void;
  log?: (line: string) => void;
  backoff?: Partial<TBackoff>;
}): Promise<TChannelListener> => {
  const log = options.log ?? (() => undefined);
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<pg.Client> => {
    const next = createPgClient(options.databaseUrl, { keepAlive: true, connectionTimeoutMillis: 3000 });
    next.on("error", () => lost(next));
    next.on("end", () => lost(next));
    next.on("notification", (message) => {
      if (message.channel === options.channel) options.onPayload(message.payload ?? "");
    });
    try {
      await next.connect();
      // The channel names are constants (lib/push/push-schemas.ts), never input; quoted as identifiers anyway.
      await next.query(`LISTEN "${options.channel.replaceAll('"', '""')}"`);
      return next;
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
  };
  const attempt = async (failures: number) => {
    timer = undefined;
    if (stopped) return;
    try {
      const next = await connect();
      if (stopped) return void (await next.end().catch(() => undefined));
      client = next;
      log(`LISTEN ${options.channel}: reconnected`);
      options.onReconnect?.();
    } catch {
      timer = setTimeout(() => void attempt(failures + 1), reconnectDelayMs({ failures, ...options.backoff }));
      timer.unref();
    }
  };
  function lost(which: pg.Client) {
    if (client !== which || stopped) return;
    client = undefined;
    log(`LISTEN ${options.channel}: connection lost; reconnecting`);
    void which.end().catch(() => undefined);
    options.onReconnect?.();
    void attempt(0);
  }
  client = await connect();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
};
