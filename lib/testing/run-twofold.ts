import { spawn } from "node:child_process";
import path from "node:path";

const BIN = path.resolve(import.meta.dirname, "../../bin/twofold.mjs");

export type TTwofoldRun = { code: number | null; stdout: string; stderr: string; json: () => unknown };

// The `twofold` CLI as an operator runs it: its own process, only the environment given here (not the test
// process's DATABASE_URL), stdin optional.
export const runTwofold = (options: { args: string[]; env?: Record<string, string | undefined>; stdin?: string; cwd?: string }): Promise<TTwofoldRun> =>
  new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, NODE_ENV: "test" as const, ...options.env };
    const child = spawn(process.execPath, [BIN, ...options.args], { env, cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.stdin.end(options.stdin ?? "");
    child.once("close", (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json: () => {
          try {
            return JSON.parse(stdout);
          } catch {
            throw new Error(`twofold ${options.args.join(" ")} printed no JSON (exit ${code}):\n${stdout}\n${stderr}`);
          }
        },
      }),
    );
  });
