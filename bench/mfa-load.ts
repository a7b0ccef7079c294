import { createHmac, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { encodeRequest } from "../lib/radius/encode-packet";
import { encryptPassword } from "../lib/radius/password";

export type TMfaLoginUser = { username: string; password: string; totpKey: Buffer };
export type TMfaLoadResult = {
  logins: number;
  accepted: number;
  failed: number; // answered with anything but the expected code at some round
  timeouts: number; // no answer after every retransmit
  retransmits: number;
  seconds: number;
  loginsPerSec: number;
  p50Ms: number; // per completed login: first send → final answer
  p99Ms: number;
  roundP50Ms: number; // per round trip (the same as per login for "append")
  roundP99Ms: number;
  codes: Record<string, number>; // final answers by code
};

// RFC 6238 with SHA-1, 30 s, 6 digits — what an authenticator app shows at this moment. Keyed with a KeyObject made
// once per user: from Node 24 on, raw key bytes cost ~30 µs per HMAC, CPU the generator would take from the server.
const keyObjects = new WeakMap<Buffer, KeyObject>();
export const totpNow = (key: Buffer, at = Date.now()): string => {
  let keyObject = keyObjects.get(key);
  if (!keyObject) keyObjects.set(key, (keyObject = createSecretKey(key)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac("sha1", keyObject).update(counter).digest();
  const offset = mac[19]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
};

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

// Closed loop over a list of users, each logging in once: `concurrency` slots, each its own socket (so its own source
// port, as distinct NAS sessions are) with one login in flight. "append" sends `password,code` (the code computed as
// the packet is built); "challenge" sends the password, then the code with the Access-Challenge's State. A lost
// datagram is retransmitted byte for byte after `timeoutMs`, as a NAS does.
export const runMfaLoad = async (options: {
  host: string;
  port: number;
  secret: string;
  users: TMfaLoginUser[];
  mode: "append" | "challenge";
  concurrency: number;
  timeoutMs?: number;
  retries?: number;
  sourceAddress?: string;
}): Promise<TMfaLoadResult> => {
  const secret = Buffer.from(options.secret);
  const timeoutMs = options.timeoutMs ?? 2000;
  const retries = options.retries ?? 3;
  const loginLatencies: number[] = [];
  const roundLatencies: number[] = [];
  const codes: Record<string, number> = {};
  let next = 0;
  let accepted = 0;
  let failed = 0;
  let timeouts = 0;
  let retransmits = 0;
  const sockets: Socket[] = [];

  const slot = async () => {
    let waiting: { id: number; resolve: (reply: Buffer) => void } | undefined;
    // A fresh socket (source port) after every 200 identifiers: FreeRADIUS treats a reused identifier from the same
    // port within its cleanup_delay (5 s) as a conflicting packet and sometimes rejects it, which at this rate would
    // happen to the baseline, not to a real NAS spreading its requests over time.
    let socket: Socket | undefined;
    let sent = 0;
    const open = async () => {
      const fresh = createSocket("udp4");
      sockets.push(fresh);
      await new Promise<void>((resolve) => fresh.bind(0, options.sourceAddress ?? "127.0.0.1", resolve));
      fresh.on("message", (message) => {
        if (waiting && message[1] === waiting.id) waiting.resolve(message);
      });
      socket?.close();
      socket = fresh;
    };
    let identifier = Math.floor(Math.random() * 256);
    const exchange = async (attributes: { type: number; value: Buffer }[], password: string): Promise<Buffer | undefined> => {
      if (sent++ % 200 === 0) await open();
      identifier = (identifier + 1) % 256;
      const authenticator = randomBytes(16);
      const { packet } = encodeRequest({
        code: RadiusCode.AccessRequest,
        identifier,
        authenticator,
        attributes: [...attributes, { type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from(password), secret, authenticator }) }],
        secret,
      });
      const sentAt = performance.now();
      for (let attempt = 0; attempt <= retries; attempt += 1) {
        if (attempt > 0) retransmits += 1;
        const reply = await new Promise<Buffer | undefined>((resolve) => {
          const timer = setTimeout(() => resolve(undefined), timeoutMs);
          waiting = {
            id: identifier,
            resolve: (message) => {
              clearTimeout(timer);
              resolve(message);
            },
          };
          socket?.send(packet, options.port, options.host);
        });
        waiting = undefined;
        if (reply) {
          roundLatencies.push(performance.now() - sentAt);
          return reply;
        }
      }
      return undefined;
    };
    while (next < options.users.length) {
      const user = options.users[next++]!;
      const base = [
        { type: Attr.UserName, value: Buffer.from(user.username) },
        { type: Attr.NasIpAddress, value: Buffer.from([10, 0, 0, 1]) },
        { type: Attr.CallingStationId, value: Buffer.from(`198.51.${(next >> 8) & 255}.${next & 255}`) },
      ];
      const started = performance.now();
      let reply = await exchange(base, options.mode === "append" ? `${user.password},${totpNow(user.totpKey)}` : user.password);
      if (reply && options.mode === "challenge") {
        const state = reply[0] === RadiusCode.AccessChallenge ? findAttribute(reply, Attr.State) : undefined;
        if (!state) {
          failed += 1;
          codes[`round1:${reply[0]}`] = (codes[`round1:${reply[0]}`] ?? 0) + 1;
          continue;
        }
        reply = await exchange([...base, { type: Attr.State, value: state }], totpNow(user.totpKey));
      }
      if (!reply) {
        timeouts += 1;
        continue;
      }
      codes[String(reply[0])] = (codes[String(reply[0])] ?? 0) + 1;
      if (reply[0] === RadiusCode.AccessAccept) {
        accepted += 1;
        loginLatencies.push(performance.now() - started);
      } else failed += 1;
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, slot));
  const seconds = (performance.now() - started) / 1000;
  for (const socket of sockets) {
    try {
      socket.close();
    } catch {
      // closed when it was replaced
    }
  }
  loginLatencies.sort((a, b) => a - b);
  roundLatencies.sort((a, b) => a - b);
  return {
    logins: options.users.length,
    accepted,
    failed,
    timeouts,
    retransmits,
    seconds,
    loginsPerSec: accepted / seconds,
    p50Ms: percentile(loginLatencies, 0.5),
    p99Ms: percentile(loginLatencies, 0.99),
    roundP50Ms: percentile(roundLatencies, 0.5),
    roundP99Ms: percentile(roundLatencies, 0.99),
    codes,
  };
};

const findAttribute = (packet: Buffer, type: number): Buffer | undefined => {
  for (let offset = 20; offset + 2 <= packet.length; ) {
    const length = packet[offset + 1]!;
    if (length < 2) return undefined;
    if (packet[offset] === type) return packet.subarray(offset + 2, offset + length);
    offset += length;
  }
  return undefined;
};
