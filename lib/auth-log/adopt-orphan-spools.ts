import { existsSync } from "node:fs";
import { readdir, readFile, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";

const ownerTag = () => `${hostname()}:${process.pid}`;

const isOwnerAlive = (tag: string): boolean => {
  const [host, pidText] = [tag.slice(0, tag.lastIndexOf(":")), tag.slice(tag.lastIndexOf(":") + 1)];
  if (host !== hostname()) return true; // another machine's spool on a shared disk: not ours to judge
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

export const claimSpool = (options: { spoolDir: string; name: string }) =>
  writeFile(path.join(options.spoolDir, `${options.name}.owner`), ownerTag(), { mode: 0o600 });

// A worker restarted under a new id must not strand the spool of its previous life: spools of the same kind whose
// owning process is gone are taken over (their lines moved into ours, oldest file first) and replayed with ours.
export const adoptOrphanSpools = async (options: {
  spoolDir: string;
  prefix: string; // "auth-events"
  ownName: string;
  append: (lines: string[]) => Promise<void>;
  log?: (line: string) => void;
}): Promise<number> => {
  const pattern = new RegExp(`^(${options.prefix}-.+?)(\\.replaying)?\\.jsonl$`);
  const names = new Set<string>();
  for (const file of await readdir(options.spoolDir)) {
    // Quarantined rows are evidence the database refused; adopting them would replay them into refusal forever.
    if (file.endsWith(".quarantine.jsonl")) continue;
    const match = pattern.exec(file);
    if (match?.[1] && match[1] !== options.ownName) names.add(match[1]);
  }
  let adopted = 0;
  for (const name of [...names].sort()) {
    const ownerFile = path.join(options.spoolDir, `${name}.owner`);
    if (existsSync(ownerFile) && isOwnerAlive((await readFile(ownerFile, "utf8")).trim())) continue;
    for (const file of [`${name}.replaying.jsonl`, `${name}.jsonl`].map((entry) => path.join(options.spoolDir, entry))) {
      if (!existsSync(file)) continue;
      const lines = (await readFile(file, "utf8")).split("\n").filter((line) => line.trim() !== "");
      await options.append(lines); // fdatasynced before the orphan file goes away
      await unlink(file);
      adopted += lines.length;
    }
    await unlink(ownerFile).catch(() => {});
  }
  if (adopted > 0) options.log?.(`auth log: adopted ${adopted} spooled events left by stopped workers`);
  return adopted;
};
