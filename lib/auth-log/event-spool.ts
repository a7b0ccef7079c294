import { existsSync } from "node:fs";
import { mkdir, open, readFile, rename, stat, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { adoptOrphanSpools, claimSpool } from "./adopt-orphan-spools";

// The auth log's write-ahead journal, JSON lines. Every event is appended and fdatasynced here before the worker
// answers the NAS; the database is fed from it afterwards, and whatever a crash leaves here is replayed at start
// (inserts are idempotent by eventId). Files, all in the spool directory:
//   <name>.jsonl            live: appends go here (its directory entry is synced, so an append needs only fdatasync)
//   <name>.replaying.jsonl  a segment moved aside: what a failed insert, a crash or a full live file left to insert
//   <name>.quarantine.jsonl rows the database refused for their content, kept as evidence, never replayed
// In the steady state the events of the live file are inserted from memory and the file is emptied (truncated) once
// all of them are in, so the journal costs one fdatasync per group and nothing more; under constant load it is moved
// aside when it passes MAX_LIVE_BYTES, rarely enough that the directory fsync this takes stays off the hot path.
export type TSpoolSegment<T> = { source: "live" | "replaying"; items: T[] } | { source: "replaying"; lines: string[] };

export type TEventSpool<T> = {
  // Resolves once the lines are on disk (fdatasync): from then on a crash cannot lose them. Rejects when the disk
  // refused them (full, failing); what part of them it wrote is cut off again where it can be, so a rejected line is
  // normally not in the journal at all (see `append` below for when it may be).
  append: (entries: { line: string; item: T }[]) => Promise<void>;
  // The oldest journaled events not yet confirmed in the database, or undefined when there are none. `items` when this
  // process journaled them (no read back), else the lines read from disk.
  next: () => Promise<TSpoolSegment<T> | undefined>;
  done: (segment: TSpoolSegment<T>) => Promise<void>; // that segment is in the database
  quarantine: (lines: string[]) => Promise<void>;
  pending: () => number; // journaled, not yet done
  quarantineFile: string;
  close: () => Promise<void>;
};

// An append the disk refused. `mayRemain`: part of it could not be cut off again and may be read back from the file.
export class SpoolAppendError extends Error {
  readonly mayRemain: boolean;
  constructor(cause: unknown, mayRemain: boolean) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.mayRemain = mayRemain;
  }
}

// A long outage must not hold every journaled event in memory as well: beyond this the segment is read back from disk.
const MAX_ITEMS_IN_MEMORY = 10_000;
// Already-inserted lines a crash would make the next start send again (skipped as duplicates): about 1,500 events.
const MAX_LIVE_BYTES = 1 << 20;

const readLines = async (file: string) => (await readFile(file, "utf8")).split("\n").filter((line) => line.trim() !== "");

const appendRaw = async (file: string, text: string) => {
  const handle = await open(file, "a", 0o600);
  try {
    await handle.appendFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
};

export const openEventSpool = async <T>(options: {
  spoolDir: string;
  name: string; // `${prefix}-${workerId}`
  prefix: string;
  log?: (line: string) => void;
}): Promise<TEventSpool<T>> => {
  await mkdir(options.spoolDir, { recursive: true, mode: 0o700 });
  const live = path.join(options.spoolDir, `${options.name}.jsonl`);
  const replaying = path.join(options.spoolDir, `${options.name}.replaying.jsonl`);
  const quarantineFile = path.join(options.spoolDir, `${options.name}.quarantine.jsonl`);

  const syncDir = async () => {
    const dir = await open(options.spoolDir, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  };

  // A crash in the middle of an append can leave a line without its newline; terminate it so the next append does not
  // glue a good event onto the torn one (the torn line is quarantined at replay as unreadable).
  for (const file of [live, replaying]) {
    if (!existsSync(file)) continue;
    const text = await readFile(file, "utf8");
    if (text.length > 0 && !text.endsWith("\n")) await appendRaw(file, "\n");
  }
  if (!existsSync(live)) await appendRaw(live, "");
  await claimSpool({ spoolDir: options.spoolDir, name: options.name });
  await adoptOrphanSpools({
    spoolDir: options.spoolDir,
    prefix: options.prefix,
    ownName: options.name,
    append: (lines) => appendRaw(live, lines.map((line) => `${line}\n`).join("")),
    log: options.log,
  });
  await syncDir();

  let liveLines = (await readLines(live)).length;
  let liveBytes = (await stat(live)).size;
  let unsent: T[] | undefined = liveLines === 0 ? [] : undefined; // undefined: the file holds lines we never saw
  let replayingExists = existsSync(replaying);
  let replayingCount = replayingExists ? (await readLines(replaying)).length : 0;
  let replayingItems: T[] | undefined;
  let handle: FileHandle | undefined = await open(live, "a", 0o600);
  let liveBytesKnown = true; // false after an append that failed and could not be cut off: the size is read again
  let tornTail = false;
  let quarantineSynced = existsSync(quarantineFile);

  // Appends, rotation, truncation and removal touch the same files: one at a time.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <R>(work: () => Promise<R>): Promise<R> => {
    const result = tail.then(work);
    tail = result.catch(() => {});
    return result;
  };

  const replayingSegment = async (): Promise<TSpoolSegment<T>> =>
    replayingItems ? { source: "replaying", items: replayingItems } : { source: "replaying", lines: await readLines(replaying) };

  // The live file becomes the replaying segment (carrying `items`, the part of it still to insert, when known).
  const rotate = async (items: T[] | undefined) => {
    await handle?.close();
    handle = undefined;
    await rename(live, replaying);
    [replayingExists, replayingCount, replayingItems] = [true, items?.length ?? liveLines, items];
    [liveLines, liveBytes, liveBytesKnown, unsent, tornTail] = [0, 0, true, [], false];
    handle = await open(live, "a", 0o600);
    // The rename and the new file's entry: an append acknowledged after this survives a power cut too.
    await syncDir();
  };

  return {
    quarantineFile,
    pending: () => replayingCount + (unsent ? unsent.length : liveLines),
    append: (entries) =>
      serial(async () => {
        if (entries.length === 0) return;
        handle ??= await open(live, "a", 0o600);
        const file = handle;
        const text = `${tornTail ? "\n" : ""}${entries.map((entry) => `${entry.line}\n`).join("")}`;
        const before = liveBytesKnown ? liveBytes : (await file.stat()).size;
        try {
          await file.appendFile(text);
          await file.datasync();
        } catch (error) {
          // The caller is told these lines are not journaled (and may answer the NAS accordingly), so none of them may
          // be replayed later: whatever part reached the file (a full disk takes a short write; a failed fdatasync
          // leaves all of it in the page cache) is cut off again. Truncating frees space, so on a full disk it works.
          const cut = await file.truncate(before).then(() => file.datasync()).then(() => true, () => false);
          if (cut) [liveBytes, liveBytesKnown] = [before, true];
          else {
            // Part of it may stay on disk: read this file back rather than trust memory (the writer skips the refused
            // events by id), and start the next append on a fresh line. Counted as pending so the file is not taken
            // for empty.
            [tornTail, unsent, liveBytesKnown] = [true, undefined, false];
            liveLines += entries.length;
          }
          throw new SpoolAppendError(error, !cut);
        }
        tornTail = false;
        liveLines += entries.length;
        [liveBytes, liveBytesKnown] = [before + Buffer.byteLength(text), true];
        if (unsent) unsent.push(...entries.map((entry) => entry.item));
        if (unsent && unsent.length > MAX_ITEMS_IN_MEMORY) unsent = undefined;
      }),
    next: () =>
      serial(async () => {
        if (replayingExists) return replayingSegment();
        if (unsent) return unsent.length > 0 ? { source: "live" as const, items: unsent.slice() } : undefined;
        if (liveLines === 0) return undefined;
        await rotate(undefined);
        return replayingSegment();
      }),
    done: (segment) =>
      serial(async () => {
        if (segment.source === "replaying") {
          // Not synced: should the removal be lost in a crash, the rows are replayed and skipped as duplicates.
          await unlink(replaying);
          [replayingExists, replayingCount, replayingItems] = [false, 0, undefined];
          return;
        }
        if (!unsent || !("items" in segment)) return;
        unsent.splice(0, segment.items.length); // appends meanwhile went behind them
        if (unsent.length === 0) {
          // Everything in the file is in the database: empty it. No fsync: a lost truncation only means duplicates.
          await handle?.truncate(0);
          [liveLines, liveBytes, liveBytesKnown] = [0, 0, true];
        } else if (liveBytes > MAX_LIVE_BYTES) {
          await rotate(unsent);
        }
      }),
    quarantine: async (lines) => {
      if (lines.length === 0) return;
      await appendRaw(quarantineFile, lines.map((line) => `${line}\n`).join(""));
      if (!quarantineSynced) await syncDir();
      quarantineSynced = true;
    },
    close: () =>
      serial(async () => {
        await handle?.close();
        handle = undefined;
      }),
  };
};
