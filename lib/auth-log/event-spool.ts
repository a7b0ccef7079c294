import { existsSync } from "node:fs";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import path from "node:path";

// Append-only JSON-lines spool for events the database could not take. Each append is fsynced before it returns,
// so a crash loses nothing that reached the spool. Replay renames the spool aside first (atomic), so events spooled
// during a replay land in a fresh file and the order on disk stays the order of writes.
export type TEventSpool = {
  hasData: () => boolean;
  append: (lines: string[]) => Promise<void>;
  // Calls `consume` with the spooled lines oldest first; the file is removed only after consume resolves.
  drain: (consume: (lines: string[]) => Promise<void>) => Promise<number>;
};

export const openEventSpool = async (options: { spoolDir: string; name: string }): Promise<TEventSpool> => {
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

  // A crash in the middle of an append can leave a line without its newline; terminate it so the next append does not
  // glue a good event onto the torn one (the torn line is then skipped at replay as unparseable).
  for (const file of [live, replaying]) {
    if (!existsSync(file)) continue;
    const text = await readFile(file, "utf8");
    if (text.length > 0 && !text.endsWith("\n")) {
      const handle = await open(file, "a");
      await handle.write("\n");
      await handle.datasync();
      await handle.close();
    }
  }

  const readLines = async (file: string) =>
    (await readFile(file, "utf8")).split("\n").filter((line) => line.trim() !== "");

  return {
    hasData: () => existsSync(live) || existsSync(replaying),
    append: async (lines) => {
      if (lines.length === 0) return;
      const handle = await open(live, "a", 0o600);
      try {
        await handle.write(lines.map((line) => `${line}\n`).join(""));
        await handle.datasync();
      } finally {
        await handle.close();
      }
    },
    drain: async (consume) => {
      let count = 0;
      // A leftover `replaying` file (crash mid-replay) is older than the live spool: it goes first.
      for (;;) {
        if (!existsSync(replaying)) {
          if (!existsSync(live)) return count;
          await rename(live, replaying);
          await syncDir();
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
