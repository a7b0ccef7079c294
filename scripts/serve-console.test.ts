import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const KEY = randomBytes(32).toString("base64");
const DATABASE_URL = "postgresql://twofold:pw@127.0.0.1:1/twofold";

// The console as `npm run console` starts it, with only the environment given. A refused start exits on its own well
// before the kill below; one that went on to load Next would be killed and show up as a signal, not exit code 1.
const serveConsole = (env: Record<string, string>, args: string[] = []) =>
  new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve-console.ts", "-H", "127.0.0.1", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production" as const, TWOFOLD_CONSOLE_PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const kill = setTimeout(() => child.kill("SIGKILL"), 25_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(kill);
      resolve({ code, stderr, stdout });
    });
  });

describe("the console refuses a bad environment at start", () => {
  const cases: { name: string; env: Record<string, string>; args?: string[]; says: RegExp }[] = [
    { name: "no DATABASE_URL", env: { TWOFOLD_SECRET_KEY: KEY }, says: /DATABASE_URL: is required/ },
    { name: "no key", env: { DATABASE_URL }, says: /TWOFOLD_SECRET_KEY: is required/ },
    { name: "a short key", env: { DATABASE_URL, TWOFOLD_SECRET_KEY: "c2hvcnQ=" }, says: /TWOFOLD_SECRET_KEY must be 32 random bytes/ },
    { name: "a host name as trusted proxy", env: { DATABASE_URL, TWOFOLD_SECRET_KEY: KEY, TWOFOLD_TRUSTED_PROXIES: "10.0.0.5, proxy.example" }, says: /TWOFOLD_TRUSTED_PROXIES: proxy.example/ },
    { name: "a port out of range", env: { DATABASE_URL, TWOFOLD_SECRET_KEY: KEY, TWOFOLD_CONSOLE_PORT: "70000" }, says: /TWOFOLD_CONSOLE_PORT/ },
    { name: "a VAPID subject with a control byte", env: { DATABASE_URL, TWOFOLD_SECRET_KEY: KEY, TWOFOLD_VAPID_SUBJECT: "mailto:noc\u0001@example.com" }, says: /TWOFOLD_VAPID_SUBJECT/ },
    { name: "-p that is no port", env: { DATABASE_URL, TWOFOLD_SECRET_KEY: KEY }, args: ["-p", "web"], says: /-p web: not a port/ },
  ];
  for (const { name, env, args, says } of cases) {
    it(name, async () => {
      const run = await serveConsole(env, args);
      expect(run.stderr).toMatch(says);
      expect(run.stderr).toMatch(/^\[console\] failed to start: /);
      expect(run.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
      expect(run.stdout).not.toContain("listening");
      expect(run.code).toBe(1);
    });
  }
});
