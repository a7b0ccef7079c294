import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import type { TRadiusAttribute } from "../primary-auth/types";
import { Attr, RadiusCode } from "../radius/constants";
import { encodeRequest } from "../radius/encode-packet";
import { parsePacket } from "../radius/parse-packet";
import { encryptPassword } from "../radius/password";

export type TUdpRequest = { port?: number; code?: number; attributes: TRadiusAttribute[]; password?: string; timeoutMs?: number; retries?: number };
export type TUdpReply = { code: number; attributes: TRadiusAttribute[] };

export type TUdpRadiusClient = {
  // Sends one request (to `port`, or the client's) and resolves with the parsed reply, or undefined when nothing
  // came back in time.
  exchange: (request: TUdpRequest) => Promise<TUdpReply | undefined>;
  // The same, the reply's code only.
  send: (request: TUdpRequest) => Promise<number | undefined>;
  close: () => Promise<void>;
};

export const textAttribute = (type: number, value: string | Buffer): TRadiusAttribute => ({ type, value: Buffer.isBuffer(value) ? value : Buffer.from(value, "utf8") });

// A NAS of the tests' own, for what radclient cannot do: bytes it would not send (NUL, invalid UTF-8) and many
// requests outstanding on one socket, each answer matched to its request by identifier. Message-Authenticator is
// always present (encodeRequest puts it first).
// localAddress: another loopback source (127.0.0.x) so one test can be several NAS clients, each its application's.
export const createUdpRadiusClient = async (options: { host?: string; port: number; secret: string; localAddress?: string }): Promise<TUdpRadiusClient> => {
  const host = options.host ?? "127.0.0.1";
  const secret = Buffer.from(options.secret, "utf8");
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, options.localAddress ?? "127.0.0.1", resolve));
  const waiting = new Map<number, (reply: Buffer) => void>();
  socket.on("message", (reply) => {
    const waiter = waiting.get(reply[1]!);
    waiting.delete(reply[1]!);
    waiter?.(reply);
  });
  let nextId = 0;
  const freeId = () => {
    if (waiting.size >= 256) throw new Error("more than 256 requests outstanding");
    while (waiting.has(nextId)) nextId = (nextId + 1) % 256;
    const id = nextId;
    nextId = (nextId + 1) % 256; // not reused at once, so a late answer cannot be taken for the next request's
    return id;
  };

  const exchange = async (request: TUdpRequest): Promise<TUdpReply | undefined> => {
      const identifier = freeId();
      const authenticator = randomBytes(16);
      const attributes = request.password === undefined
        ? request.attributes
        : [...request.attributes, { type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from(request.password, "utf8"), secret, authenticator }) }];
      const { packet } = encodeRequest({ code: request.code ?? RadiusCode.AccessRequest, identifier, authenticator, attributes, secret });
      for (let attempt = 0; attempt <= (request.retries ?? 0); attempt += 1) {
        const reply = await new Promise<Buffer | undefined>((resolve) => {
          const timer = setTimeout(() => {
            waiting.delete(identifier);
            resolve(undefined);
          }, request.timeoutMs ?? 3000);
          waiting.set(identifier, (message) => {
            clearTimeout(timer);
            resolve(message);
          });
          socket.send(packet, request.port ?? options.port, host);
        });
        if (!reply) continue;
        const parsed = parsePacket(reply);
        return parsed.ok ? { code: parsed.packet.code, attributes: parsed.packet.attributes } : { code: 0, attributes: [] };
      }
      return undefined;
  };

  return {
    exchange,
    send: async (request) => (await exchange(request))?.code,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
};
