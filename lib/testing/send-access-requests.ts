import { randomBytes } from "node:crypto";
import dgram from "node:dgram";
import { Attr, RadiusCode } from "../radius/constants";
import { encodeRequest } from "../radius/encode-packet";
import { parsePacket } from "../radius/parse-packet";
import { encryptPassword } from "../radius/password";

// Buffers go out byte for byte (hostile User-Names: NUL, invalid UTF-8).
export type TBurstRequest = { port: number; username: string | Buffer; password: string; state?: Buffer };
export type TBurstReply = { code: number; state?: Buffer };

const toReply = (packet: Buffer): TBurstReply => {
  const parsed = parsePacket(packet);
  if (!parsed.ok) return { code: 0 };
  return { code: parsed.packet.code, state: parsed.packet.attributes.find((attr) => attr.type === Attr.State)?.value };
};

// Many Access-Requests in flight at once from one socket, as a NAS under load (radclient is one process per packet,
// too slow to start 50 of together). Resolves with each request's reply, in request order.
export const sendAccessRequestReplies = async (options: { secret: string; requests: TBurstRequest[]; timeoutMs?: number }): Promise<TBurstReply[]> => {
  if (options.requests.length > 256) throw new Error("at most 256 requests: one identifier each");
  const secret = Buffer.from(options.secret);
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const replies: (TBurstReply | undefined)[] = options.requests.map(() => undefined);
  try {
    return await new Promise<TBurstReply[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${replies.filter(Boolean).length} of ${replies.length} answered`)), options.timeoutMs ?? 60_000);
      socket.on("message", (packet) => {
        const identifier = packet[1];
        if (identifier === undefined || identifier >= replies.length || replies[identifier]) return;
        replies[identifier] = toReply(packet);
        const done = replies.filter((reply): reply is TBurstReply => reply !== undefined);
        if (done.length === replies.length) {
          clearTimeout(timer);
          resolve(done);
        }
      });
      for (const [identifier, request] of options.requests.entries()) {
        const authenticator = randomBytes(16);
        const { packet } = encodeRequest({
          code: RadiusCode.AccessRequest,
          identifier,
          authenticator,
          attributes: [
            { type: Attr.UserName, value: typeof request.username === "string" ? Buffer.from(request.username) : request.username },
            { type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from(request.password), secret, authenticator }) },
            ...(request.state ? [{ type: Attr.State, value: request.state }] : []),
          ],
          secret,
        });
        socket.send(packet, request.port, "127.0.0.1");
      }
    });
  } finally {
    socket.close();
  }
};

// The reply codes only, in request order.
export const sendAccessRequests = async (options: { secret: string; requests: TBurstRequest[]; timeoutMs?: number }): Promise<number[]> =>
  (await sendAccessRequestReplies(options)).map((reply) => reply.code);
