import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { lookup } from "node:dns/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../testing/free-port";
import { createSiemSender } from "./create-siem-sender";
import { startTestRsyslog } from "./start-test-rsyslog";
import type { TSiemRecord } from "./to-siem-record";

let rsyslog: Awaited<ReturnType<typeof startTestRsyslog>>;
let dir: string;
const record: TSiemRecord = { stream: "auth", id: 1n, xactId: 2n, eventId: "0b8a6f53-8b3c-4a4e-9bd4-1f0e7a0f1c11", time: new Date(), msgid: "authentication", severity: 6, body: { user: { name: "alice" } } };

beforeAll(async () => {
  rsyslog = await startTestRsyslog();
  dir = mkdtempSync(path.join(tmpdir(), "twofold-siem-sender-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "other.key"), "-out", path.join(dir, "other.pem"), "-days", "1", "-subj", "/CN=other-ca"], { stdio: "pipe" });
}, 60_000);

afterAll(async () => {
  await rsyslog?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A batch that was not delivered must reject, or the shipper would move its cursor past it.
describe("createSiemSender refuses to count a batch as delivered", () => {
  it("over TLS to a receiver whose certificate another CA signed, or that has another name", async () => {
    const wrongCa = createSiemSender({ target: { kind: "tls", host: "localhost", port: rsyslog.ports.tls, key: "a" }, facility: "auth", hostname: "h", ca: readFileSync(path.join(dir, "other.pem")) });
    await expect(wrongCa.send([record])).rejects.toThrow(/certificate/i);
    const systemCas = createSiemSender({ target: { kind: "tls", host: "localhost", port: rsyslog.ports.tls, key: "b" }, facility: "auth", hostname: "h" });
    await expect(systemCas.send([record])).rejects.toThrow(/certificate/i);
    // The machine's own name, where it is 127.0.0.1 (as in /etc/hosts here), is not in the certificate (localhost,
    // 127.0.0.1): the right CA with the wrong name is refused too.
    const name = hostname();
    const resolved = await lookup(name).catch(() => undefined);
    if (resolved?.address === "127.0.0.1" && name !== "localhost") {
      const wrongName = createSiemSender({ target: { kind: "tls", host: name, port: rsyslog.ports.tls, key: "c" }, facility: "auth", hostname: "h", ca: readFileSync(rsyslog.caFile) });
      await expect(wrongName.send([record])).rejects.toThrow(/altnames/i);
    }
    const right = createSiemSender({ target: { kind: "tls", host: "localhost", port: rsyslog.ports.tls, key: "d" }, facility: "auth", hostname: "h", ca: readFileSync(rsyslog.caFile) });
    await expect(right.send([record])).resolves.toBeUndefined();
  });

  it("over TCP to a port nobody listens on, and to a file it cannot write", async () => {
    const closed = createSiemSender({ target: { kind: "tcp", host: "127.0.0.1", port: await freePort(), key: "e" }, facility: "auth", hostname: "h" });
    await expect(closed.send([record])).rejects.toThrow(/ECONNREFUSED/);
    const missing = createSiemSender({ target: { kind: "file", path: path.join(dir, "no-such-dir", "events.jsonl"), key: "f" }, facility: "auth", hostname: "h" });
    await expect(missing.send([record])).rejects.toThrow(/ENOENT/);
    const underFile = createSiemSender({ target: { kind: "file", path: path.join(dir, "other.pem", "events.jsonl"), key: "g" }, facility: "auth", hostname: "h" });
    await expect(underFile.send([record])).rejects.toThrow(/ENOTDIR/);
  });

  it("when the worker stops and the receiver never closes: cut after a short grace, unacknowledged", async () => {
    // A TCP listener that accepts and never reads to the end or closes: the batch stays unacknowledged.
    const net = await import("node:net");
    const sockets: import("node:net").Socket[] = [];
    const server = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const sender = createSiemSender({ target: { kind: "tcp", host: "127.0.0.1", port, key: "h" }, facility: "auth", hostname: "h", timeoutMs: 60_000 });
    const stopping = new AbortController();
    const sent = sender.send([record], stopping.signal);
    stopping.abort();
    await expect(sent).rejects.toThrow(/stopping/);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});
