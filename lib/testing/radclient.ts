import { spawn } from "node:child_process";

export type TRadclientAttribute = { name: string; value: string };
export type TRadclientResult = { code?: string; attributes: TRadclientAttribute[]; stdout: string; stderr: string; exitCode: number | null };

const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

// Runs Debian's radclient as the NAS would (the ASA in the tests): one packet, -x to print what came back.
// `attributes` values are sent as quoted strings unless they start with 0x (octets) or are bare numbers/IPs given
// through `rawAttributes`. Message-Authenticator is added unless `messageAuthenticator: false`.
export const radclient = async (options: {
  host?: string;
  port: number;
  secret: string;
  command?: "auth" | "acct" | "status" | "coa" | "disconnect"; // coa/disconnect: as ISE sends them (RFC 5176)
  attributes?: Record<string, string>;
  rawAttributes?: string[]; // e.g. ['NAS-IP-Address = 10.0.0.1', 'State = 0x1234']
  messageAuthenticator?: boolean;
  retries?: number; // radclient's -r: attempts in total (at least 1)
  timeoutSec?: number;
}): Promise<TRadclientResult> => {
  const lines = Object.entries(options.attributes ?? {}).map(([name, value]) => `${name} = ${value.startsWith("0x") ? value : quote(value)}`);
  lines.push(...(options.rawAttributes ?? []));
  if (options.messageAuthenticator !== false && options.command !== "status") lines.push("Message-Authenticator = 0x00");
  const args = ["-x", "-r", String(Math.max(1, options.retries ?? 1)), "-t", String(options.timeoutSec ?? 2), `${options.host ?? "127.0.0.1"}:${options.port}`, options.command ?? "auth", options.secret];
  const child = spawn("radclient", args, { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  child.stdin.end(`${lines.join(", ")}\n`);
  const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { ...parseRadclientOutput(stdout), stdout, stderr, exitCode };
};

// "Received Access-Accept Id 7 from ..." followed by tab-indented "Name = value" lines.
export const parseRadclientOutput = (stdout: string): { code?: string; attributes: TRadclientAttribute[] } => {
  const lines = stdout.split("\n");
  const start = lines.findIndex((line) => line.startsWith("Received "));
  if (start < 0) return { attributes: [] };
  const code = lines[start]?.split(" ")[1];
  const attributes: TRadclientAttribute[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = line.match(/^\t(\S+) = (.*)$/);
    if (!match) break;
    const raw = match[2] ?? "";
    attributes.push({ name: match[1] ?? "", value: raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw });
  }
  return { code, attributes };
};
