import { readdir } from "node:fs/promises";
import type { TConfigSnapshot, TSnapshotPrimaryServer } from "../config/snapshot-schema";
import type { TRadiusAttribute } from "../primary-auth/types";
import { integerAttribute } from "../radius/attributes";
import { Attr, RadiusCode } from "../radius/constants";
import { createRadiusSecret } from "../radius/radius-secret";
import type { TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { createHoldDown } from "../radius/upstream/hold-down";
import { fromForwardRecord, toForwardRecord, type TForwardRecord } from "./forward-record-schema";
import { openForwardQueue, type TForwardQueue } from "./open-forward-queue";

export type TAccountingForwarder = {
  // Durable once resolved (fdatasync): answer the NAS after it, and the record reaches the upstream whatever follows.
  enqueue: (options: { applicationId: string; attributes: readonly TRadiusAttribute[]; receivedAt?: number }) => Promise<void>;
  idle: () => Promise<void>; // every queue empty (tests)
  stats: () => { pending: number; delivered: number; dropped: number; failedAttempts: number };
  stop: () => Promise<void>;
};

export const accountingServers = (snapshot: TConfigSnapshot, applicationId: string): TSnapshotPrimaryServer[] =>
  snapshot.applications
    .find((application) => application.id === applicationId)
    ?.primaryAuthServers.filter((server) => server.kind === "radius" && server.accountingPort !== null && server.secret) ?? [];

// RFC 2866 §5.2: Acct-Delay-Time says how long the record waited; the wait here is added to the NAS's own.
const withDelay = (record: TForwardRecord, now: number): TRadiusAttribute[] => {
  const attributes = fromForwardRecord(record);
  const waitedSec = Math.floor((now - record.receivedAt) / 1000);
  if (waitedSec < 1) return attributes;
  const existing = attributes.find((attr) => attr.type === Attr.AcctDelayTime && attr.value.length === 4)?.value.readUInt32BE(0) ?? 0;
  return [...attributes.filter((attr) => attr.type !== Attr.AcctDelayTime), integerAttribute(Attr.AcctDelayTime, existing + waitedSec)];
};

// Store-and-forward to each application's upstream accounting server (ISE/NPS): one durable queue per application
// (lib/accounting-forward/open-forward-queue.ts), delivered strictly in arrival order, one record at a time, failing
// over across the application's servers; while none answers the head waits (backing off to `maxRetryMs`) and the
// rest queue behind it. A record leaves the queue only on an Accounting-Response, so each is delivered once — but for
// the one in flight at a crash, which may be sent again (as any RADIUS client would; the upstream's duplicate detection
// by Acct-Session-Id and Event-Timestamp takes it).
export const createAccountingForwarder = async (options: {
  dir: string;
  name: string; // this worker's: each process owns its queues
  transport: TUpstreamTransport;
  snapshot: () => TConfigSnapshot;
  log: (line: string) => void;
  retryMs?: number;
  maxRetryMs?: number;
}): Promise<TAccountingForwarder> => {
  const prefix = `acct-forward-${options.name.replace(/[^A-Za-z0-9_.-]/g, "_")}-`;
  type TQueueEntry = { queue: TForwardQueue; running?: Promise<void>; wake?: () => void };
  const queues = new Map<string, TQueueEntry>();
  // A server that did not answer is tried after the others for a while, so failover does not wait it out per record.
  const holdDown = createHoldDown({ holdMs: 30_000 });
  const counters = { delivered: 0, dropped: 0, failedAttempts: 0 };
  let stopped = false;

  const deliver = async (applicationId: string, queue: TForwardQueue) => {
    let backoff = options.retryMs ?? 500;
    for (let record = queue.head(); record && !stopped; record = queue.head()) {
      const configured = accountingServers(options.snapshot(), applicationId);
      const servers = [...configured.filter((server) => !holdDown.isDown(server.id)), ...configured.filter((server) => holdDown.isDown(server.id))];
      if (servers.length === 0) {
        // The application or its accounting server is gone: nowhere to deliver, ever. Kept in Twofold's own log.
        options.log(`accounting forward: application ${applicationId} has no upstream accounting server; record dropped`);
        counters.dropped += 1;
        await queue.delivered();
        continue;
      }
      let sent = false;
      for (const server of servers) {
        const result = await options.transport.exchange({
          target: { host: server.host, port: server.accountingPort ?? 1813, secret: server.radiusSecret ?? createRadiusSecret(server.secret ?? "") },
          code: RadiusCode.AccountingRequest,
          attributes: () => withDelay(record, Date.now()),
          timeoutMs: server.timeoutMs,
          retries: server.retries,
        });
        if (result.ok && result.packet.code === RadiusCode.AccountingResponse) {
          holdDown.markUp(server.id);
          sent = true;
          break;
        }
        if (!result.ok) holdDown.markDown(server.id);
        counters.failedAttempts += 1;
        if (counters.failedAttempts % 100 === 1) options.log(`accounting forward to ${server.name}: ${result.ok ? `code ${result.packet.code}` : result.detail} (${queue.pending()} queued)`);
      }
      if (sent) {
        await queue.delivered();
        counters.delivered += 1;
        backoff = options.retryMs ?? 500;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff);
        const entry = queues.get(applicationId);
        if (entry) entry.wake = () => (clearTimeout(timer), resolve());
      });
      backoff = Math.min(backoff * 2, options.maxRetryMs ?? 30_000);
    }
  };

  const kick = (applicationId: string) => {
    const entry = queues.get(applicationId);
    if (!entry || entry.running || stopped) return;
    entry.running = deliver(applicationId, entry.queue)
      .catch((error: unknown) => options.log(`accounting forward: ${String(error)}`))
      .finally(() => {
        entry.running = undefined;
        if (entry.queue.head() && !stopped) kick(applicationId); // appended while it was finishing
      });
  };

  // One open per application, however many records arrive while its files are being opened.
  const opening = new Map<string, Promise<TQueueEntry>>();
  const queueFor = (applicationId: string): Promise<TQueueEntry> => {
    const existing = opening.get(applicationId);
    if (existing) return existing;
    const opened = openForwardQueue({ dir: options.dir, name: `${prefix}${applicationId}`, log: options.log }).then((queue) => {
      const entry: TQueueEntry = { queue };
      queues.set(applicationId, entry);
      return entry;
    });
    opening.set(applicationId, opened);
    opened.catch(() => opening.delete(applicationId)); // a failed open is tried again by the next record
    return opened;
  };

  // What an earlier run of this worker left queued is delivered first.
  const leftover = (await readdir(options.dir).catch(() => [] as string[])).filter((file) => file.startsWith(prefix) && file.endsWith(".jsonl"));
  for (const file of leftover) {
    const applicationId = file.slice(prefix.length, -".jsonl".length);
    await queueFor(applicationId);
    kick(applicationId);
  }

  return {
    enqueue: async ({ applicationId, attributes, receivedAt }) => {
      const entry = await queueFor(applicationId);
      await entry.queue.append(toForwardRecord(attributes, receivedAt ?? Date.now()));
      kick(applicationId);
    },
    idle: async () => {
      while ([...queues.values()].some((entry) => entry.queue.pending() > 0 || entry.running)) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    stats: () => ({ pending: [...queues.values()].reduce((sum, entry) => sum + entry.queue.pending(), 0), ...counters }),
    stop: async () => {
      stopped = true;
      await Promise.allSettled(opening.values());
      for (const entry of queues.values()) entry.wake?.();
      await Promise.all([...queues.values()].map((entry) => entry.running));
      await Promise.all([...queues.values()].map((entry) => entry.queue.close()));
    },
  };
};
