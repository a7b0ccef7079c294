import dgram from "node:dgram";
import { open } from "node:fs/promises";
import net from "node:net";
import tls from "node:tls";
import { formatJsonLine, formatSyslogMessage, octetCounted } from "./format-syslog-message";
import type { TSiemFacility, TSiemTarget } from "./siem-target-schema";
import type { TSiemRecord } from "./to-siem-record";

// `signal`: the worker is stopping; a batch cut short is not acknowledged, so it is sent again by the next shipper.
export type TSiemSender = { send: (records: TSiemRecord[], signal?: AbortSignal) => Promise<void>; close: () => Promise<void> };
const STOP_GRACE_MS = 2000;

export type TSiemSenderOptions = { target: TSiemTarget; facility: TSiemFacility; hostname: string; ca?: Buffer; timeoutMs?: number };

// TCP and TLS: plain syslog has no acknowledgement, and a write that returned only reached our kernel. So each batch
// goes on its own connection that Twofold half-closes after the last frame; the batch counts as delivered only when
// the receiver, having read everything up to our FIN, closes its side cleanly. A receiver that dies or resets first
// makes the batch fail, and it is sent again.
const sendOverStream = (options: { connect: () => net.Socket; secure: boolean; frames: Buffer[]; timeoutMs: number; signal?: AbortSignal }) =>
  new Promise<void>((resolve, reject) => {
    const socket = options.connect();
    let failed: Error | undefined;
    // Stopping: the batch on the wire gets a short grace to be acknowledged (no duplicate after a rolling restart), but
    // a receiver that hangs cannot hold the worker's stop for the whole timeout.
    const cut = () => setTimeout(() => socket.destroy(new Error("stopping")), STOP_GRACE_MS).unref();
    if (options.signal?.aborted) cut();
    else options.signal?.addEventListener("abort", cut, { once: true });
    socket.setTimeout(options.timeoutMs, () => socket.destroy(new Error(`no close from the receiver within ${options.timeoutMs} ms`)));
    let finished = false;
    socket.on("error", (error) => (failed ??= error));
    socket.once("finish", () => (finished = true));
    // The receiver closing before our FIN went out did not read the batch to its end.
    socket.once("end", () => (failed ??= finished ? undefined : new Error("the receiver closed the connection before the batch was sent")));
    socket.once("close", () => (failed ? reject(failed) : resolve()));
    socket.once(options.secure ? "secureConnect" : "connect", () => {
      for (const frame of options.frames) socket.write(frame);
      socket.end();
    });
  });

export const createSiemSender = (options: TSiemSenderOptions): TSiemSender => {
  const { target } = options;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const syslog = (record: TSiemRecord) => formatSyslogMessage({ record, facility: options.facility, hostname: options.hostname });
  if (target.kind === "file") {
    return {
      // Opened per batch (so a rotated file is followed) and fdatasync'd before the cursor moves. The directory is the
      // admin's to create (with the permissions the log deserves): a missing one is a failure, retried and logged.
      send: async (records) => {
        const handle = await open(target.path, "a", 0o640);
        try {
          await handle.write(records.map(formatJsonLine).join(""));
          await handle.datasync();
        } finally {
          await handle.close();
        }
      },
      close: async () => undefined,
    };
  }
  if (target.kind === "udp") {
    const socket = dgram.createSocket(net.isIPv6(target.host) ? "udp6" : "udp4");
    socket.on("error", () => undefined); // an ICMP unreachable is not ours to handle: UDP is best effort
    socket.unref();
    return {
      // RFC 5426: one message per datagram, no framing. Handed to the kernel is all UDP can promise.
      send: async (records) => {
        for (const record of records) {
          await new Promise<void>((resolve, reject) => socket.send(Buffer.from(syslog(record), "utf8"), target.port, target.host, (error) => (error ? reject(error) : resolve())));
        }
      },
      close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
    };
  }
  const connect =
    target.kind === "tls"
      ? () => tls.connect({ host: target.host, port: target.port, ca: options.ca, servername: net.isIP(target.host) ? undefined : target.host, minVersion: "TLSv1.2" })
      : () => net.connect({ host: target.host, port: target.port });
  return {
    send: (records, signal) => sendOverStream({ connect, secure: target.kind === "tls", frames: records.map((record) => octetCounted(syslog(record))), timeoutMs, signal }),
    close: async () => undefined,
  };
};
