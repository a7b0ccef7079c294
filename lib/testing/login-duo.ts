import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type TLoginDuoOptions = {
  ikey: string;
  skey: string;
  host: string; // "name:port", as in login_duo.conf
  cafile: string;
  user: string; // -f: the Duo user
  remoteIp?: string; // -h: the login's source address (sent as ipaddr)
  passcode?: string; // DUO_PASSCODE with accept_env_factor = yes
  stdin?: string; // typed at the "Passcode or option" prompt
  autopush?: boolean;
  failmode?: "safe" | "secure";
  config?: string; // the whole login_duo.conf instead of one made from the fields above
};

export type TLoginDuoResult = { code: number | null; stdout: string; stderr: string };

// Debian's login_duo (libduo 1.11: Auth API v1, BSON) with a throwaway config file of mode 600 (it refuses others).
// On success it runs `echo TWOFOLD-LOGIN-OK` through the shell, so the output tells an allowed login from a refused
// one. stdout is the terminal's (login_duo's own lines and its -d log are in it too).
export const runLoginDuo = (options: TLoginDuoOptions): Promise<TLoginDuoResult> => {
  const dir = mkdtempSync(path.join(tmpdir(), "login-duo-"));
  const conf = path.join(dir, "login_duo.conf");
  const lines = [
    "[duo]",
    `ikey = ${options.ikey}`,
    `skey = ${options.skey}`,
    `host = ${options.host}`,
    `cafile = ${options.cafile}`,
    `failmode = ${options.failmode ?? "safe"}`,
    "prompts = 1",
    ...(options.passcode ? ["accept_env_factor = yes"] : []),
    ...(options.autopush ? ["autopush = yes"] : []),
  ];
  writeFileSync(conf, options.config ?? `${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(conf, 0o600);
  const args = ["-d", "-c", conf, "-f", options.user, ...(options.remoteIp ? ["-h", options.remoteIp] : []), "echo TWOFOLD-LOGIN-OK"];
  // login_duo talks to the user (status lines, the enrollment link) only on a terminal: `script` gives it one.
  const quoted = ["login_duo", ...args].map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(" ");
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, SHELL: "/bin/sh" };
    if (options.passcode) env.DUO_PASSCODE = options.passcode;
    else delete env.DUO_PASSCODE;
    const child = spawn("script", ["-qec", quoted, "/dev/null"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
};
