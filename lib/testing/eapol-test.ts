import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type TEapolTestResult = { exitCode: number | null; output: string; accepted: boolean; mppeMatched: boolean };

const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

// Debian's eapol_test (wpa_supplicant's 802.1X supplicant speaking RADIUS) as a Wi-Fi controller with a laptop behind
// it. It puts Message-Authenticator on every request, checks it on every reply, and on the Access-Accept compares the
// MS-MPPE keys with the MSK its own TLS tunnel derived: it exits 0 only when they match ("MPPE keys OK: 1").
export const eapolTest = async (options: {
  port: number;
  secret: string;
  method: "PEAP" | "TTLS";
  identity: string; // inner identity
  anonymousIdentity?: string; // outer User-Name; the inner one when absent
  password: string;
  timeoutSec?: number;
  clientAddress?: string; // the NAS's source address (default 127.0.0.1)
  // More attributes on every Access-Request, in eapol_test's -N syntax: "61:d:5" (NAS-Port-Type = Virtual), "26:x:…".
  // One given here replaces eapol_test's own of that type (its NAS-Port-Type, Framed-MTU...).
  extraAttributes?: string[];
}): Promise<TEapolTestResult> => {
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-eapol-"));
  const conf = path.join(dir, "eapol.conf");
  writeFileSync(
    conf,
    [
      "network={",
      "\tkey_mgmt=WPA-EAP",
      `\teap=${options.method}`,
      `\tidentity=${quote(options.identity)}`,
      ...(options.anonymousIdentity ? [`\tanonymous_identity=${quote(options.anonymousIdentity)}`] : []),
      `\tpassword=${quote(options.password)}`,
      options.method === "PEAP" ? '\tphase1="peapver=0"' : "",
      '\tphase2="auth=MSCHAPV2"',
      "}",
      "",
    ].join("\n"),
  );
  const args = ["-c", conf, "-a", "127.0.0.1", "-p", String(options.port), "-s", options.secret, "-r", "0", "-t", String(options.timeoutSec ?? 60), "-A", options.clientAddress ?? "127.0.0.1", ...(options.extraAttributes ?? []).map((spec) => `-N${spec}`)];
  const child = spawn("eapol_test", args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
  rmSync(dir, { recursive: true, force: true });
  return { exitCode, output, accepted: /RADIUS message: code=2 \(Access-Accept\)/.test(output), mppeMatched: /MPPE keys OK: 1 +mismatch: 0/.test(output) };
};
