import { existsSync } from "node:fs";
import { mkdir, open, readFile, rename, stat, truncate, unlink } from "node:fs/promises";
import path from "node:path";
import { adoptOrphanSpools, claimSpool } from "./adopt-orphan-spools";

// Append-only JSON-lines spool. Every batch is appended (and fdatasynced) here BEFORE it is sent to Postgres, so the
// spool doubles as a write-ahead journal: after a crash, whatever reached it is replayed (inserts are idempotent).
// The live file always exists (its directory entry is synced once), so an append only needs fdatasync.
// Replay renames the live file aside first, so events spooled meanwhile land in a fresh file and order holds.
export type TEventSpool = {
  hasData: () => Promise<boolean>;
  append: (lines: string[]) => Promise<void>;
  // The live file holds only what was just appended and is now safely in the database: empty it.
  clear: () => Promise<void>;
  // Calls `consume` with the spooled lines oldest first; each file is removed only after consume resolves.
  drain: (consume: (lines: string[]) => Promise<void>) => Promise<number>;
};

export const openEventSpool = async (options: {
  spoolDir: string;
  name: string; // `${prefix}-${workerId}`
  prefix: string;
  log?: (line: string) => void;
}): Promise<TEventSpool> => {
  await mkdir(options.spoolDir, { recursive: true, mode: 0o700 });
  const live = path.join(options.spoolDir, `${options.name}.jsonl`);
  const replaying = path.join(options.spoolDir, `${options.name}.replaying.jsonl`);

  const syncDir = async () => {
    const dir = await open(options.spoolDir, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  };

  const appendRaw = async (file: string, text: string) => {
    const handle = await open(file, "a", 0o600);
    try {
      if (text) await handle.write(text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  };

  const ensureLive = async () => {
    if (existsSync(live)) return;
    await appendRaw(live, "");
    await syncDir();
  };

  // A crash in the middle of an append can leave a line without its newline; terminate it so the next append does not
  // glue a good event onto the torn one (the torn line is then skipped at replay as unparseable).
  for (const file of [live, replaying]) {
    if (!existsSync(file)) continue;
    const text = await readFile(file, "utf8");
    if (text.length > 0 && !text.endsWith("\n")) await appendRaw(file, "\n");
  }
  await ensureLive();

  await claimSpool({ spoolDir: options.spoolDir, name: options.name });
  await adoptOrphanSpools({
    spoolDir: options.spoolDir,
    prefix: options.prefix,
    ownName: options.name,
    append: (lines) => appendRaw(live, lines.map((line) => `${line}\n`).join("")),
    log: options.log,
  });
  await syncDir();

  const readLines = async (file: string) => (await readFile(file, "utf8")).split("\n").filter((line) => line.trim() !== "");

  return {
    hasData: async () => existsSync(replaying) || (existsSync(live) && (await stat(live)).size > 0),
    append: async (lines) => {
      if (lines.length === 0) return;
      await ensureLive();
      await appendRaw(live, lines.map((line) => `${line}\n`).join(""));
    },
    clear: async () => {
      await truncate(live, 0);
    },
    drain: async (consume) => {
      let count = 0;
      // A leftover `replaying` file (crash mid-replay) is older than the live spool: it goes first.
      for (;;) {
        if (!existsSync(replaying)) {
          if (!existsSync(live) || (await stat(live)).size === 0) return count;
          await rename(live, replaying);
          await ensureLive();
        }
        const lines = await readLines(replaying);
        await consume(lines);
        count += lines.length;
        await unlink(replaying);
        await syncDir();
      }
    },
  };
};
