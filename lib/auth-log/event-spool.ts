import { existsSync } from "node:fs";
import { mkdir, open, readFile, rename, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { adoptOrphanSpools, claimSpool } from "./adopt-orphan-spools";

// The auth log's write-ahead journal, JSON lines. Every event is appended and fdatasynced here before the worker
// answers the NAS; the database is fed from it afterwards, and whatever a crash leaves here is replayed at start
// (inserts are idempotent by eventId). Files, all in the spool directory:
//   <name>.jsonl            live: appends go here (its directory entry is synced, so an append needs only fdatasync)
//   <name>.replaying.jsonl  the segment being inserted: the live file moved aside, so appends never wait on the database
//   <name>.quarantine.jsonl rows the database refused for their content, kept as evidence, never replayed
export type TSpoolSegment<T> = { items: T[] } | { lines: string[] };

export type TEventSpool<T> = {
  // Resolves once the lines are on disk (fdatasync): from then on a crash cannot lose them.
  append: (entries: { line: string; item: T }[]) => Promise<void>;
  // The oldest journaled events not yet confirmed in the database: a segment left over (failed insert, crash), else
  // the live journal moved aside. `items` when this process journaled every one of them (no read back), else the
  // lines from disk. undefined: nothing waiting.
  next: () => Promise<TSpoolSegment<T> | undefined>;
  done: () => Promise<void>; // the segment `next` returned is in the database
  quarantine: (lines: string[]) => Promise<void>;
  pending: () => number; // journaled, not yet done
  quarantineFile: string;
  close: () => Promise<void>;
};

// A long outage must not hold every journaled event in memory as well: beyond this the segment is read back from disk.
const MAX_ITEMS_IN_MEMORY = 10_000;

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

  let liveCount = (await readLines(live)).length;
  let liveItems: T[] | undefined = liveCount === 0 ? [] : undefined; // undefined: the file holds lines we never saw
  let replayingExists = existsSync(replaying);
  let replayingCount = replayingExists ? (await readLines(replaying)).length : 0;
  let replayingItems: T[] | undefined;
  let handle: FileHandle | undefined = await open(live, "a", 0o600);
  let tornTail = false;
  let quarantineSynced = existsSync(quarantineFile);

  // Appends, rotation and removal touch the same files: one at a time.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <R>(work: () => Promise<R>): Promise<R> => {
    const result = tail.then(work);
    tail = result.catch(() => {});
    return result;
  };

  const segment = async (): Promise<TSpoolSegment<T>> => (replayingItems ? { items: replayingItems } : { lines: await readLines(replaying) });

  return {
    quarantineFile,
    pending: () => liveCount + replayingCount,
    append: (entries) =>
      serial(async () => {
        if (entries.length === 0) return;
        handle ??= await open(live, "a", 0o600);
        const text = `${tornTail ? "\n" : ""}${entries.map((entry) => `${entry.line}\n`).join("")}`;
        try {
          await handle.appendFile(text);
          await handle.datasync();
        } catch (error) {
          // Part of it may be on disk: read this file back rather than trust memory, and start the next append on a
          // fresh line. Counted as pending so the segment is not skipped.
          tornTail = true;
          liveItems = undefined;
          liveCount += entries.length;
          throw error;
        }
        tornTail = false;
        liveCount += entries.length;
        if (liveItems) liveItems.push(...entries.map((entry) => entry.item));
        if (liveItems && liveItems.length > MAX_ITEMS_IN_MEMORY) liveItems = undefined;
      }),
    next: () =>
      serial(async () => {
        if (replayingExists) return segment();
        if (liveCount === 0) return undefined;
        await handle?.close();
        handle = undefined;
        await rename(live, replaying);
        [replayingExists, replayingCount, replayingItems] = [true, liveCount, liveItems];
        [liveCount, liveItems, tornTail] = [0, [], false];
        handle = await open(live, "a", 0o600);
        // The rename and the new file's entry: an append acknowledged after this survives a power cut too.
        await syncDir();
        return segment();
      }),
    done: () =>
      serial(async () => {
        // Not synced: should the removal be lost in a crash, the rows are replayed and skipped as duplicates.
        await unlink(replaying);
        [replayingExists, replayingCount, replayingItems] = [false, 0, undefined];
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
