import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { freePort } from "../testing/free-port";
import { killOnExit, stopChild } from "../testing/kill-on-exit";

// What the receiver wrote for each message, per input: the parsed RFC 5424 fields, as rsyslog itself parsed them.
export const ZReceivedSchema = z.object({ pri: z.string(), app: z.string(), msgid: z.string(), hostname: z.string(), sd: z.string(), msg: z.string() });
export type TReceived = z.infer<typeof ZReceivedSchema>;
export type TRsyslogInput = "udp" | "tcp" | "tls";

// A throwaway CA and a server certificate for localhost (DNS and IP), made with openssl.
const makeCertificates = (dir: string) => {
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=twofold-test-ca"]);
  run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]);
  writeFileSync(path.join(dir, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  run(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext"]);
};

const config = (dir: string, ports: Record<TRsyslogInput, number>) => `
global(workDirectory="${dir}/work" maxMessageSize="64k" net.enableDNS="off"
  defaultNetstreamDriverCAFile="${dir}/ca.pem" defaultNetstreamDriverCertFile="${dir}/server.pem" defaultNetstreamDriverKeyFile="${dir}/server.key")
module(load="imudp")
module(load="imptcp")
module(load="imtcp" streamDriver.name="ossl" streamDriver.mode="1" streamDriver.authMode="anon")
template(name="fields" type="list" option.jsonf="on") {
  property(outname="pri" name="pri" format="jsonf")
  property(outname="app" name="app-name" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}
${(["udp", "tcp", "tls"] as const).map((input) => `ruleset(name="${input}") { action(type="omfile" file="${dir}/out-${input}.jsonl" template="fields") }`).join("\n")}
input(type="imudp" address="127.0.0.1" port="${ports.udp}" ruleset="udp")
input(type="imptcp" address="127.0.0.1" port="${ports.tcp}" ruleset="tcp")
input(type="imtcp" address="127.0.0.1" port="${ports.tls}" ruleset="tls")
`;

const accepting = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

// Debian's rsyslogd in the foreground with its own config, ports, work dir, pid file and output files: UDP
// (RFC 5426), plain TCP (imptcp, octet counting) and TLS (imtcp + OpenSSL, RFC 5425). Restartable on the same ports.
export const startTestRsyslog = async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-rsyslog-"));
  mkdirSync(path.join(dir, "work"));
  makeCertificates(dir);
  const ports = { udp: await freePort(), tcp: await freePort(), tls: await freePort() };
  const confFile = path.join(dir, "rsyslog.conf");
  writeFileSync(confFile, config(dir, ports));
  let child: ChildProcess | undefined;
  let stderr = "";
  const start = async () => {
    rmSync(path.join(dir, "rsyslog.pid"), { force: true });
    const started = spawn("rsyslogd", ["-n", "-f", confFile, "-i", path.join(dir, "rsyslog.pid")], { stdio: ["ignore", "pipe", "pipe"] });
    started.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    started.stdout?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    killOnExit(started);
    child = started;
    const deadline = Date.now() + 20_000;
    while (!((await accepting(ports.tcp)) && (await accepting(ports.tls)))) {
      if (started.exitCode !== null || Date.now() > deadline) throw new Error(`rsyslogd did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await start();
  const received = (input: TRsyslogInput): TReceived[] => {
    const file = path.join(dir, `out-${input}.jsonl`);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => ZReceivedSchema.parse(JSON.parse(line)));
  };
  // Cheap enough to poll with thousands of lines (bench/siem-stream.ts).
  const receivedCount = (input: TRsyslogInput): number => {
    const file = path.join(dir, `out-${input}.jsonl`);
    if (!existsSync(file)) return 0;
    const bytes = readFileSync(file);
    let lines = 0;
    for (const byte of bytes) if (byte === 0x0a) lines += 1;
    return lines;
  };
  return {
    ports,
    caFile: path.join(dir, "ca.pem"),
    received,
    receivedCount,
    stderr: () => stderr,
    stop: async () => {
      if (child) await stopChild(child);
      child = undefined;
    },
    start,
    remove: async () => {
      if (child) await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
