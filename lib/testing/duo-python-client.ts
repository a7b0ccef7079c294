import { spawn } from "node:child_process";
import path from "node:path";
import { z } from "zod";

const SCRIPT = path.join(import.meta.dirname, "duo-python-client.py");
// Debian's interpreter: python3-duo-client is installed for it, not for a pyenv shim that may come first on PATH.
const PYTHON = "/usr/bin/python3";

export type TDuoPythonCall = {
  client?: "auth" | "auth_v1" | "admin";
  method: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  skey?: string; // this call signs with another skey
  sig_version?: number;
  sha512?: boolean; // HMAC-SHA512 (required with sig_version 4: JSON bodies)
  path?: string; // "tampered": the endpoint
  signed?: Record<string, string>; // "tampered": what the signature covers
  sent?: Record<string, string>; // "tampered": what goes over the wire
};

export type TDuoPythonJob = { ikey: string; skey: string; host: string; port: number; ca: string; date?: string; calls: TDuoPythonCall[] };

const ZResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.boolean(), status: z.number().nullish(), error: z.string().optional(), body: z.unknown() }),
]);
export type TDuoPythonResult = z.infer<typeof ZResultSchema>;

// Runs the calls in one python3 process, in order; resolves with one result per call.
export const runDuoPython = (job: TDuoPythonJob): Promise<TDuoPythonResult[]> =>
  new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`python3 duo_client exited ${code}: ${stderr}`));
      try {
        resolve(z.array(ZResultSchema).parse(JSON.parse(stdout)));
      } catch (error) {
        reject(new Error(`python3 duo_client output: ${String(error)}\n${stdout}\n${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
