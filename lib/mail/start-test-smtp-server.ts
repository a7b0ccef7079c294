import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { freePort } from "../testing/free-port";
import { killOnExit, stopChild } from "../testing/kill-on-exit";

const ZReceivedSchema = z.object({ from: z.string(), to: z.array(z.string()), tls: z.boolean(), authenticated: z.boolean(), raw: z.string() });
export type TReceivedMail = Omit<z.infer<typeof ZReceivedSchema>, "raw"> & { raw: string };

export type TTestSmtpServer = { host: string; port: number; caCert?: string; received: () => TReceivedMail[]; stop: () => Promise<void> };

// A throwaway real SMTP server (Debian's python3-aiosmtpd, through test-smtp-server.py) on a free port. Debian's own
// python3 on purpose: a pyenv python earlier on PATH does not see Debian's packages.
export const startTestSmtpServer = async (options: { starttls?: boolean; auth?: { user: string; password: string } } = {}): Promise<TTestSmtpServer> => {
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-smtp-"));
  const out = path.join(dir, "mail");
  mkdirSync(out);
  const port = await freePort();
  const args = [path.join(import.meta.dirname, "test-smtp-server.py"), "--port", String(port), "--out", out];
  let caCert: string | undefined;
  if (options.starttls) {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    caCert = readFileSync(path.join(dir, "cert.pem"), "utf8");
    args.push("--tls-cert", path.join(dir, "cert.pem"), "--tls-key", path.join(dir, "key.pem"));
  }
  if (options.auth) args.push("--auth", `${options.auth.user}:${options.auth.password}`);
  const child = spawn("/usr/bin/python3", args, { stdio: ["ignore", "pipe", "pipe"] });
  killOnExit(child);
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`aiosmtpd did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("READY")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`aiosmtpd exited (${code}):\n${output}`));
    });
  });
  return {
    host: "127.0.0.1",
    port,
    caCert,
    received: () =>
      readdirSync(out)
        .filter((name) => name.endsWith(".json"))
        .sort()
        .map((name) => {
          const record = ZReceivedSchema.parse(JSON.parse(readFileSync(path.join(out, name), "utf8")));
          return { ...record, raw: Buffer.from(record.raw, "base64").toString("utf8") };
        }),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
