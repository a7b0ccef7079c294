import { createSocket, type Socket } from "node:dgram";
import { randomBytes } from "node:crypto";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { encodeRequest } from "../lib/radius/encode-packet";
import { encryptPassword } from "../lib/radius/password";

export type TLoadResult = { concurrency: number; seconds: number; answered: number; timeouts: number; rps: number; p50Ms: number; p99Ms: number; codes: Record<number, number> };

// All packets are built before the clock starts, each with its own authenticator, so the generator spends its time
// sending and the server cannot answer from a retransmit cache.
const buildPackets = (options: { secret: string; username: string; password: string; count: number }): Buffer[] => {
  const secret = Buffer.from(options.secret);
  const packets: Buffer[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const authenticator = randomBytes(16);
    packets.push(
      encodeRequest({
        code: RadiusCode.AccessRequest,
        identifier: i % 256,
        authenticator,
        attributes: [
          { type: Attr.UserName, value: Buffer.from(options.username) },
          { type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from(options.password), secret, authenticator }) },
          { type: Attr.NasIpAddress, value: Buffer.from([10, 0, 0, 1]) },
          { type: Attr.CallingStationId, value: Buffer.from("198.51.100.10") },
        ],
        secret,
      }).packet,
    );
  }
  return packets;
};

// Closed loop: `concurrency` slots, each with its own socket and exactly one request outstanding.
export const runLoad = async (options: { host: string; port: number; secret: string; username: string; password: string; concurrency: number; durationMs: number; timeoutMs?: number; maxPackets?: number }): Promise<TLoadResult> => {
  const packets = buildPackets({ ...options, count: options.maxPackets ?? 400_000 });
  const timeoutMs = options.timeoutMs ?? 2000;
  const latencies: number[] = [];
  const codes: Record<number, number> = {};
  let next = 0;
  let timeouts = 0;
  const deadline = performance.now() + options.durationMs;
  const started = performance.now();
  const sockets: Socket[] = [];
  const slot = async () => {
    const socket = createSocket("udp4");
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    let waiting: ((reply: Buffer | undefined) => void) | undefined;
    let expectId = -1;
    socket.on("message", (message) => {
      if (message[1] === expectId && waiting) waiting(message);
    });
    while (performance.now() < deadline && next < packets.length) {
      const packet = packets[next++]!;
      expectId = packet[1]!;
      const sentAt = performance.now();
      const reply = await new Promise<Buffer | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        waiting = (message) => {
          clearTimeout(timer);
          resolve(message);
        };
        socket.send(packet, options.port, options.host);
      });
      waiting = undefined;
      if (!reply) {
        timeouts += 1;
        continue;
      }
      latencies.push(performance.now() - sentAt);
      codes[reply[0]!] = (codes[reply[0]!] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, slot));
  const seconds = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.close();
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { concurrency: options.concurrency, seconds, answered: latencies.length, timeouts, rps: latencies.length / seconds, p50Ms: pick(0.5), p99Ms: pick(0.99), codes };
};

export type TMeasureStepsOptions = { label: string; port: number; secret: string; username: string; password: string; concurrency: number[]; durationMs: number };

// A warm-up, then one closed-loop run per concurrency, each printed as it finishes: the shape every benchmark of the
// cheap path reports (bench/run.ts, journal-cost.ts, siem-stream.ts).
export const measureSteps = async ({ label, port, secret, username, password, concurrency, durationMs }: TMeasureStepsOptions): Promise<TLoadResult[]> => {
  await runLoad({ host: "127.0.0.1", port, secret, username, password, concurrency: 8, durationMs: 1500, maxPackets: 50_000 });
  const results: TLoadResult[] = [];
  for (const outstanding of concurrency) {
    const result = await runLoad({ host: "127.0.0.1", port, secret, username, password, concurrency: outstanding, durationMs });
    console.log(
      `${label.padEnd(14)} c=${String(outstanding).padStart(3)}  ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  answered ${result.answered}  timeouts ${result.timeouts}  codes ${JSON.stringify(result.codes)}`,
    );
    results.push(result);
  }
  return results;
};
