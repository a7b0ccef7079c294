import { createSocket, type Socket } from "node:dgram";
import { randomBytes } from "node:crypto";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { encodeRequest } from "../encode-packet";
import type { TRawPacket } from "../parse-packet";
import type { TRadiusAttribute } from "../../primary-auth/types";
import type { TSecretInput } from "../radius-secret";
import { verifyResponse } from "../verify-response";

export type TUpstreamTarget = { host: string; port: number; secret: TSecretInput };

export type TExchangeResult = { ok: true; packet: TRawPacket; ms: number } | { ok: false; kind: "timeout" | "error"; detail: string; ms: number };

type TPending = { authenticator: Buffer; secret: TSecretInput; resolve: (packet: TRawPacket) => void };

export type TUpstreamTransport = {
  // Sends one request and waits for a verified reply: `retries` re-sends of the same packet, each after timeoutMs.
  exchange: (options: { target: TUpstreamTarget; code: number; attributes: (authenticator: Buffer) => TRadiusAttribute[]; timeoutMs: number; retries: number }) => Promise<TExchangeResult>;
  close: () => Promise<void>;
};

// One socket per address family for all upstream traffic. Identifiers are allocated per destination so up to 256
// requests can be outstanding to each server; replies that fail verification are ignored (RFC 2865 §3), as a
// spoofed or stale answer must not end the wait for the real one. Message-Authenticator is checked whenever present and
// required on a reply carrying EAP-Message (lib/radius/verify-response.ts); not on others, which RFC 2865 lets omit it.
export const createUpstreamTransport = async (options: { bindAddress?: string } = {}): Promise<TUpstreamTransport> => {
  const pending = new Map<string, TPending>();
  const nextId = new Map<string, number>();
  const sockets = new Map<4 | 6, Socket>();

  const onMessage = (message: Buffer, rinfo: { address: string; port: number }) => {
    if (message.length < 20) return;
    const key = `${rinfo.address.replace(/^::ffff:/, "")}|${rinfo.port}|${message[1]}`;
    const entry = pending.get(key);
    if (!entry) return;
    const verified = verifyResponse({ response: message, requestAuthenticator: entry.authenticator, secret: entry.secret, requireMessageAuthenticator: false });
    if (!verified.ok) return;
    pending.delete(key);
    entry.resolve(verified.packet);
  };

  const socketFor = async (family: 4 | 6): Promise<Socket> => {
    const existing = sockets.get(family);
    if (existing) return existing;
    const socket = createSocket(family === 6 ? "udp6" : "udp4");
    socket.on("message", onMessage);
    socket.on("error", () => {});
    sockets.set(family, socket);
    await new Promise<void>((resolve) => socket.bind(0, options.bindAddress, resolve));
    return socket;
  };

  const allocate = (destination: string): number | undefined => {
    const start = nextId.get(destination) ?? Math.floor(Math.random() * 256);
    for (let step = 0; step < 256; step += 1) {
      const id = (start + step) % 256;
      if (!pending.has(`${destination}|${id}`)) {
        nextId.set(destination, (id + 1) % 256);
        return id;
      }
    }
    return undefined;
  };

  const exchange: TUpstreamTransport["exchange"] = async ({ target, code, attributes, timeoutMs, retries }) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let address = target.host;
    if (!isIP(address)) {
      try {
        address = (await lookup(target.host)).address;
      } catch (error) {
        return { ok: false, kind: "error", detail: `cannot resolve ${target.host}: ${String(error)}`, ms: elapsed() };
      }
    }
    // Replies are matched on the address they come from, so the key uses the resolved address.
    const destination = `${address}|${target.port}`;
    const identifier = allocate(destination);
    if (identifier === undefined) return { ok: false, kind: "error", detail: "256 requests already outstanding to this server", ms: elapsed() };
    const authenticator = randomBytes(16);
    const { packet } = encodeRequest({ code, identifier, authenticator, attributes: attributes(authenticator), secret: target.secret });
    // Accounting-Request carries a computed authenticator; the reply is checked against what was sent.
    const sentAuthenticator = Buffer.from(packet.subarray(4, 20));
    const key = `${destination}|${identifier}`;
    const socket = await socketFor(isIP(address) === 6 ? 6 : 4);
    return new Promise<TExchangeResult>((resolve) => {
      let attempts = 0;
      let timer: NodeJS.Timeout | undefined;
      const send = () => {
        attempts += 1;
        socket.send(packet, target.port, address, () => {});
        timer = setTimeout(() => {
          if (attempts <= retries) return send();
          pending.delete(key);
          resolve({ ok: false, kind: "timeout", detail: `no answer from ${target.host}:${target.port} after ${attempts} attempts`, ms: elapsed() });
        }, timeoutMs);
      };
      pending.set(key, {
        authenticator: sentAuthenticator,
        secret: target.secret,
        resolve: (reply) => {
          clearTimeout(timer);
          resolve({ ok: true, packet: reply, ms: elapsed() });
        },
      });
      send();
    });
  };

  return {
    exchange,
    close: async () => {
      await Promise.all([...sockets.values()].map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
      sockets.clear();
    },
  };
};
