import { readFile, stat } from "node:fs/promises";
import type { TCliIo } from "./cli-types";

// "-" reads standard input, so a secret or a CSV can be piped in without touching the disk.
export const readInputFile = async (options: { file: string; io: TCliIo }): Promise<string> =>
  options.file === "-" ? options.io.readStdin() : readFile(options.file, "utf8");

// A password file others can read defeats the point of not putting the password on the command line.
export const warnIfReadableByOthers = async (options: { file: string; io: TCliIo }): Promise<void> => {
  if (options.file === "-") return;
  const { mode } = await stat(options.file);
  if ((mode & 0o077) !== 0) options.io.err(`warning: ${options.file} is readable by other users (chmod 600 it)`);
};
