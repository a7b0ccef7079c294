import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { AppError } from "../errors/app-error";

export type TPgToolRun = { code: number | null; stdout: string; stderr: string };

// pg_dump/pg_restore from TWOFOLD_PG_BIN when set (e.g. /usr/lib/postgresql/18/bin, PGDG's client for a newer server
// than the distribution's), else from PATH.
export const pgToolPath = (options: { name: "pg_dump" | "pg_restore"; binDir?: string }): string => {
  if (!options.binDir) return options.name;
  const file = path.join(options.binDir, options.name);
  if (!existsSync(file)) throw new AppError("VALIDATION", `TWOFOLD_PG_BIN=${options.binDir} has no ${options.name}`);
  return file;
};

export const runPgTool = (options: { tool: string; args: string[]; env: Record<string, string | undefined> }): Promise<TPgToolRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(options.tool, options.args, { env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new AppError("UNAVAILABLE", `${options.tool} not found: install PostgreSQL's client programs (postgresql-client-<server major>) or set TWOFOLD_PG_BIN`) : error),
    );
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });

// "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" → 15
export const pgToolMajor = async (tool: string): Promise<number> => {
  const run = await runPgTool({ tool, args: ["--version"], env: {} });
  const major = Number(/\(PostgreSQL\)\s+(\d+)/.exec(run.stdout)?.[1]);
  if (!Number.isInteger(major)) throw new AppError("UNAVAILABLE", `${tool} --version said nothing usable: ${run.stdout}${run.stderr}`);
  return major;
};
