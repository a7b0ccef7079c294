import { existsSync } from "node:fs";
import { mkdir, open, readFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { createGroupCommit } from "../auth-log/group-commit";
import { ZForwardRecordSchema, type TForwardRecord } from "./forward-record-schema";

export type TForwardQueue = {
  // Resolves once the records are on disk (fdatasync, grouped with concurrent appends): from then on they are delivered
  // even across a crash or restart.
  append: (record: TForwardRecord) => Promise<void>;
  head: () => TForwardRecord | undefined; // the oldest record not yet delivered
  delivered: () => Promise<void>; // the head is delivered: durably past it
  pending: () => number;
  close: () => Promise<void>;
};

const CURSOR_WIDTH = 20; // one fixed-width line: rewritten in place, a single small write

const parseJson = (line: string): unknown => {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
};

// What a queue's files say is still to deliver: the bytes of its complete records past the cursor. A torn last line
// was never acknowledged (appends resolve after their fdatasync) and is not counted; a cursor past the end means the
// records were emptied and the crash came before the cursor was reset.
export const readForwardQueue = async (options: { dir: string; name: string }) => {
  const recordsFile = path.join(options.dir, `${options.name}.jsonl`);
  const cursorFile = path.join(options.dir, `${options.name}.cursor`);
  const bytes = existsSync(recordsFile) ? await readFile(recordsFile) : Buffer.alloc(0);
  const savedCursor = existsSync(cursorFile) ? Number((await readFile(cursorFile, "utf8")).trim()) : 0;
  const complete = bytes.lastIndexOf(0x0a) + 1;
  const cursor = Number.isSafeInteger(savedCursor) && savedCursor >= 0 && savedCursor <= complete ? savedCursor : 0;
  return { recordsFile, cursorFile, bytes, complete, savedCursor, cursor };
};

// A durable FIFO in two files: `<name>.jsonl`, records appended in arrival order, and `<name>.cursor`, the byte offset
// up to which they are delivered. Emptied (records truncated, then the cursor reset — in that order, so a crash between
// the two can only leave a cursor past the end, read as "all delivered") whenever everything is delivered.
export const openForwardQueue = async (options: { dir: string; name: string; log?: (line: string) => void }): Promise<TForwardQueue> => {
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const created = !existsSync(path.join(options.dir, `${options.name}.jsonl`)) || !existsSync(path.join(options.dir, `${options.name}.cursor`));
  const read = await readForwardQueue(options);
  const { recordsFile, cursorFile, bytes, complete, savedCursor } = read;
  let { cursor } = read;
  const pending: { record: TForwardRecord; end: number }[] = [];
  for (let start = cursor; start < complete; ) {
    const end = bytes.indexOf(0x0a, start) + 1;
    const parsed = ZForwardRecordSchema.safeParse(parseJson(bytes.subarray(start, end - 1).toString("utf8")));
    if (parsed.success) pending.push({ record: parsed.data, end });
    else options.log?.(`accounting forward queue ${options.name}: unreadable record at byte ${start} skipped`);
    start = end;
  }
  const records: FileHandle = await open(recordsFile, "a", 0o600);
  if (complete < bytes.length) await records.truncate(complete);
  let size = complete;
  const cursorHandle: FileHandle = await open(cursorFile, existsSync(cursorFile) ? "r+" : "w+", 0o600);
  const writeCursor = async (value: number) => {
    await cursorHandle.write(`${String(value).padStart(CURSOR_WIDTH - 1, " ")}\n`, 0);
    await cursorHandle.datasync();
  };
  if (cursor !== savedCursor) await writeCursor(cursor);
  if (created) {
    // New directory entries: synced, or a power cut could lose a file whose records were acknowledged.
    const dir = await open(options.dir, "r");
    await dir.sync().finally(() => dir.close());
  }

  // Appends, delivery marks and truncation touch the same files: one at a time, appends grouped.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <R>(work: () => Promise<R>): Promise<R> => {
    const result = tail.then(work);
    tail = result.catch(() => {});
    return result;
  };
  const group = createGroupCommit<TForwardRecord>({
    write: (entries) =>
      serial(async () => {
        const lines = entries.map((record) => `${JSON.stringify(record)}\n`);
        await records.appendFile(lines.join(""));
        await records.datasync();
        for (const [index, record] of entries.entries()) {
          size += Buffer.byteLength(lines[index] ?? "");
          pending.push({ record, end: size });
        }
      }),
  });

  return {
    append: (record) => group.add(record),
    head: () => pending[0]?.record,
    pending: () => pending.length,
    delivered: () =>
      serial(async () => {
        const done = pending.shift();
        if (!done) return;
        cursor = done.end;
        if (pending.length === 0) {
          await records.truncate(0);
          await records.datasync();
          [cursor, size] = [0, 0];
        }
        await writeCursor(cursor);
      }),
    close: async () => {
      await group.idle(); // its writes run through `serial` too: wait for them outside it
      await serial(async () => {
        await records.close();
        await cursorHandle.close();
      });
    },
  };
};
