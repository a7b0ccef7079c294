import { existsSync } from "node:fs";
import { open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { holdFileLock } from "./hold-file-lock";
import { readForwardQueue } from "./open-forward-queue";
import { compareQueues, lockFileName, parseQueueFile, queueName, type TQueueFile } from "./queue-file-names";

const syncDir = async (dir: string) => {
  const handle = await open(dir, "r");
  await handle.sync().finally(() => handle.close());
};
const remove = (file: string) => unlink(file).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? undefined : Promise.reject(error)));

// Fixed width, growing with time: taken-over queues sort in the order they were taken.
let counter = 0;
const nextSeq = () => `${String(Date.now()).padStart(14, "0")}${String((counter = (counter + 1) % 10_000)).padStart(4, "0")}`;

const queuesOf = async (dir: string, owner: string) => {
  const byQueue = new Map<string, { first: TQueueFile; kinds: Set<TQueueFile["kind"]> }>();
  for (const file of await readdir(dir)) {
    const parsed = parseQueueFile(file);
    if (parsed?.owner !== owner) continue;
    const entry = byQueue.get(parsed.queue) ?? { first: parsed, kinds: new Set() };
    entry.kinds.add(parsed.kind);
    byQueue.set(parsed.queue, entry);
  }
  return [...byQueue.values()].sort((a, b) => compareQueues(a.first, b.first));
};

// Moves `from`'s queues to `to` (whose lock the caller holds; `from`'s lock too), each as one new taken-over queue of
// `to`, holding exactly the records not yet delivered. Two renames could not move a queue's two files at once, so the
// undelivered records are first copied into one `.handoff` file (written, synced, then renamed into place: it exists
// whole or not at all); from the moment it exists it is the queue, and the old files are garbage. The handoff is
// then renamed to `to`'s name: one file, so a crash anywhere leaves either the old queue, the handoff, or the new
// queue, never two copies. `onlyHandoffs`: finish what a taker that died left half-done, touch nothing else.
const handOver = async (options: { dir: string; from: string; to: string; onlyHandoffs?: boolean }): Promise<number> => {
  let moved = 0;
  for (const { first, kinds } of await queuesOf(options.dir, options.from)) {
    if (options.onlyHandoffs && !kinds.has("handoff")) continue;
    const base = path.join(options.dir, first.queue);
    const handoff = `${base}.handoff`;
    await remove(`${handoff}.tmp`); // never renamed into place: not the queue
    if (!kinds.has("handoff")) {
      const { bytes, cursor, complete } = await readForwardQueue({ dir: options.dir, name: first.queue });
      if (complete > cursor) {
        const handle = await open(`${handoff}.tmp`, "w", 0o600);
        try {
          await handle.writeFile(bytes.subarray(cursor, complete));
          await handle.datasync();
        } finally {
          await handle.close();
        }
        await rename(`${handoff}.tmp`, handoff);
        await syncDir(options.dir);
      }
    }
    await remove(`${base}.jsonl`);
    await remove(`${base}.cursor`);
    await syncDir(options.dir);
    if (!existsSync(handoff)) continue;
    let target = queueName(options.to, first.applicationId, nextSeq());
    while (existsSync(path.join(options.dir, `${target}.jsonl`)) || existsSync(path.join(options.dir, `${target}.cursor`))) target = queueName(options.to, first.applicationId, nextSeq());
    const records = (await readFile(handoff, "utf8")).split("\n").length - 1;
    await rename(handoff, path.join(options.dir, `${target}.jsonl`));
    await syncDir(options.dir);
    moved += records;
  }
  return moved;
};

// A worker whose id changed, or a process the pool no longer starts, leaves its accounting queues behind: the first
// process to find one whose owner is not running takes it over. "Not running" is the owner's lock being free — a live
// owner holds it for its whole life (create-accounting-forwarder.ts), and the kernel lets it go when the owner dies —
// and the taker holds it while moving the queues, so two takers, or a taker and the owner starting again, never both
// have them. Returns the number of records taken over (now `owner`'s, to deliver).
export const adoptOrphanQueues = async (options: { dir: string; owner: string; log: (line: string) => void }): Promise<number> => {
  let moved = await handOver({ dir: options.dir, from: options.owner, to: options.owner, onlyHandoffs: true });
  // Only owners with something to take: the live siblings of a pool keep their (emptied) files, and asking for their
  // locks every scan would be a process spawned per sibling for nothing.
  const owners = new Set<string>();
  for (const file of await readdir(options.dir)) {
    const parsed = parseQueueFile(file);
    if (!parsed || parsed.owner === options.owner || owners.has(parsed.owner)) continue;
    const size = await stat(path.join(options.dir, file)).then((found) => found.size, () => 0);
    if (parsed.kind === "handoff" || (parsed.kind === "jsonl" && size > 0)) owners.add(parsed.owner);
  }
  for (const owner of [...owners].sort()) {
    const held = await holdFileLock({ file: path.join(options.dir, lockFileName(owner)) });
    if (!held.ok) {
      if (held.reason === "unavailable") options.log(`accounting forward: cannot tell whether ${owner} is running (${held.detail}); its queues are left alone`);
      continue;
    }
    try {
      const taken = await handOver({ dir: options.dir, from: owner, to: options.owner });
      if (taken > 0) options.log(`accounting forward: took over ${taken} queued records of ${owner}, which is not running`);
      moved += taken;
    } finally {
      await held.lock.release();
    }
  }
  return moved;
};
