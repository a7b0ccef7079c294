import { mkdir, readdir, unlink } from "node:fs/promises";
import path from "node:path";
import type { TConfigSnapshot, TSnapshotPrimaryServer } from "../config/snapshot-schema";
import type { TRadiusAttribute } from "../primary-auth/types";
import { integerAttribute } from "../radius/attributes";
import { Attr, RadiusCode } from "../radius/constants";
import { createRadiusSecret } from "../radius/radius-secret";
import type { TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { createHoldDown } from "../radius/upstream/hold-down";
import { workerFileTag } from "../workers/worker-file-tag";
import { adoptOrphanQueues } from "./adopt-orphan-queues";
import { fromForwardRecord, toForwardRecord, type TForwardRecord } from "./forward-record-schema";
import { holdFileLock, type TFileLock } from "./hold-file-lock";
import { openForwardQueue, type TForwardQueue } from "./open-forward-queue";
import { compareQueues, lockFileName, parseQueueFile, queueName } from "./queue-file-names";

export type TAccountingForwarder = {
  // Durable once resolved (fdatasync): answer the NAS after it, and the record reaches the upstream whatever follows.
  enqueue: (options: { applicationId: string; attributes: readonly TRadiusAttribute[]; receivedAt?: number }) => Promise<void>;
  idle: () => Promise<void>; // every queue empty (tests)
  stats: () => { pending: number; delivered: number; dropped: number; failedAttempts: number; adopted: number };
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

// How long a starting process waits for its own lock: a process taking over its queues holds it for a few renames.
const OWN_LOCK_WAIT_MS = 30_000;

// Store-and-forward to each application's upstream accounting server (ISE/NPS): one durable queue per application
// (lib/accounting-forward/open-forward-queue.ts), delivered strictly in arrival order, one record at a time, failing
// over across the application's servers; while none answers the head waits (backing off to `maxRetryMs`) and the
// rest queue behind it. A record leaves the queue only on an Accounting-Response, so each is delivered once — but for
// the one in flight at a crash, which may be sent again (as any RADIUS client would; the upstream's duplicate detection
// by Acct-Session-Id and Event-Timestamp takes it).
// The queues are this process's (`name`, its worker id), under a lock it holds while it runs; those of an owner that
// is not running (a changed TWOFOLD_WORKER_ID, fewer processes) are taken over at start and every `adoptEveryMs`
// (lib/accounting-forward/adopt-orphan-queues.ts) and delivered, each in its own order, before this process's own.
export const createAccountingForwarder = async (options: {
  dir: string;
  name: string; // this worker's: each process owns its queues
  transport: TUpstreamTransport;
  snapshot: () => TConfigSnapshot;
  log: (line: string) => void;
  retryMs?: number;
  maxRetryMs?: number;
  adoptEveryMs?: number; // default 60 000; 0: at start only
}): Promise<TAccountingForwarder> => {
  const owner = workerFileTag(options.name);
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const lockFile = path.join(options.dir, lockFileName(owner));
  let ownLock: TFileLock | undefined;
  const onLost = (detail: string) => {
    // Only if something killed the flock(1) child: take it back at once, before another process can take our queues.
    options.log(`accounting forward: lost the lock on ${owner}'s queues (${detail}); taking it again`);
    void holdFileLock({ file: lockFile, onLost }).then((again) => {
      ownLock = again.ok ? again.lock : undefined;
      if (!again.ok) options.log(`accounting forward: could not take the lock on ${owner}'s queues back (${again.detail}): another process may deliver them too`);
    });
  };
  const locked = await holdFileLock({ file: lockFile, waitMs: OWN_LOCK_WAIT_MS, onLost });
  if (!locked.ok && locked.reason === "held") {
    throw new Error(`accounting forward: the queues of ${options.name} in ${options.dir} are held by another process (two workers with one TWOFOLD_WORKER_ID on one data directory?)`);
  }
  if (locked.ok) ownLock = locked.lock;
  // Without flock(1) nobody here can tell a stopped owner from a running one: own queues only, none taken over.
  else options.log(`accounting forward: ${locked.detail}; queues left by other worker ids are not taken over`);

  type TAdopted = { queue: string; seq: string; forward: TForwardQueue };
  type TEntry = { adopted: TAdopted[]; own?: TForwardQueue; running?: Promise<void>; wake?: () => void };
  const entries = new Map<string, TEntry>();
  const entryFor = (applicationId: string) => {
    const existing = entries.get(applicationId);
    if (existing) return existing;
    const entry: TEntry = { adopted: [] };
    entries.set(applicationId, entry);
    return entry;
  };
  // A server that did not answer is tried after the others for a while, so failover does not wait it out per record.
  const holdDown = createHoldDown({ holdMs: 30_000 });
  const counters = { delivered: 0, dropped: 0, failedAttempts: 0, adopted: 0 };
  let stopped = false;

  // Scans of the directory, taking over and retiring taken-over queues: one at a time.
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <R>(work: () => Promise<R>): Promise<R> => {
    const result = chain.then(work);
    chain = result.catch(() => {});
    return result;
  };
  // A taken-over queue, once delivered, goes (records file first: a lone cursor left by a crash is removed at start).
  const retireDelivered = (entry: TEntry) =>
    exclusive(async () => {
      while (entry.adopted[0] && entry.adopted[0].forward.pending() === 0) {
        const done = entry.adopted.shift()!;
        await done.forward.close();
        await unlink(path.join(options.dir, `${done.queue}.jsonl`)).catch(() => {});
        await unlink(path.join(options.dir, `${done.queue}.cursor`)).catch(() => {});
      }
    });

  const deliver = async (applicationId: string, entry: TEntry) => {
    let backoff = options.retryMs ?? 500;
    while (!stopped) {
      if (entry.adopted[0]?.forward.pending() === 0) await retireDelivered(entry);
      const queue = entry.adopted[0]?.forward ?? entry.own;
      const record = queue?.head();
      if (!queue || !record || stopped) return;
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
        entry.wake = () => (clearTimeout(timer), resolve());
      });
      backoff = Math.min(backoff * 2, options.maxRetryMs ?? 30_000);
    }
  };

  const pendingOf = (entry: TEntry) => entry.adopted.reduce((sum, adopted) => sum + adopted.forward.pending(), entry.own?.pending() ?? 0);
  const kick = (applicationId: string) => {
    const entry = entries.get(applicationId);
    if (!entry || entry.running || stopped) return;
    entry.running = deliver(applicationId, entry)
      .catch((error: unknown) => options.log(`accounting forward: ${String(error)}`))
      .finally(() => {
        entry.running = undefined;
        if (pendingOf(entry) > 0 && !stopped) kick(applicationId); // appended while it was finishing
      });
  };

  // One open per application, however many records arrive while its files are being opened.
  const opening = new Map<string, Promise<TForwardQueue>>();
  const ownQueue = (applicationId: string): Promise<TForwardQueue> => {
    const existing = opening.get(applicationId);
    if (existing) return existing;
    const opened = openForwardQueue({ dir: options.dir, name: queueName(owner, applicationId), log: options.log }).then((queue) => {
      entryFor(applicationId).own = queue;
      return queue;
    });
    opening.set(applicationId, opened);
    opened.catch(() => opening.delete(applicationId)); // a failed open is tried again by the next record
    return opened;
  };

  // This process's files: what an earlier run left queued, and what was just taken over, delivered first.
  const openOwnFiles = async () => {
    const files = (await readdir(options.dir).catch(() => [] as string[])).map(parseQueueFile).filter((file) => file?.owner === owner);
    const queues = new Set(files.filter((file) => file?.kind === "jsonl").map((file) => file?.queue));
    for (const file of files.sort((a, b) => compareQueues(a!, b!))) {
      if (!file) continue;
      if (file.kind === "cursor" && file.seq && !queues.has(file.queue)) await unlink(path.join(options.dir, file.file)).catch(() => {});
      if (file.kind !== "jsonl") continue;
      const entry = entryFor(file.applicationId);
      if (!file.seq) await ownQueue(file.applicationId);
      else if (!entry.adopted.some((adopted) => adopted.queue === file.queue)) {
        const forward = await openForwardQueue({ dir: options.dir, name: file.queue, log: options.log });
        entry.adopted.push({ queue: file.queue, seq: file.seq, forward });
        entry.adopted.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
      }
      kick(file.applicationId);
    }
  };
  const takeOver = () =>
    exclusive(async () => {
      if (stopped) return;
      if (ownLock) counters.adopted += await adoptOrphanQueues({ dir: options.dir, owner, log: options.log });
      await openOwnFiles();
    }).catch((error: unknown) => options.log(`accounting forward: taking over stopped workers' queues: ${String(error)}`));

  await takeOver();
  const adoptEveryMs = options.adoptEveryMs ?? 60_000;
  const timer = ownLock && adoptEveryMs > 0 ? setInterval(() => void takeOver(), adoptEveryMs) : undefined;
  timer?.unref();

  const all = () => [...entries.values()].flatMap((entry) => [...entry.adopted.map((adopted) => adopted.forward), ...(entry.own ? [entry.own] : [])]);
  return {
    enqueue: async ({ applicationId, attributes, receivedAt }) => {
      const queue = await ownQueue(applicationId);
      await queue.append(toForwardRecord(attributes, receivedAt ?? Date.now()));
      kick(applicationId);
    },
    idle: async () => {
      while ([...entries.values()].some((entry) => pendingOf(entry) > 0 || entry.running)) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    stats: () => ({ pending: [...entries.values()].reduce((sum, entry) => sum + pendingOf(entry), 0), ...counters }),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await exclusive(async () => {});
      await Promise.allSettled(opening.values());
      for (const entry of entries.values()) entry.wake?.();
      await Promise.all([...entries.values()].map((entry) => entry.running));
      await Promise.all(all().map((queue) => queue.close()));
      await ownLock?.release();
    },
  };
};
