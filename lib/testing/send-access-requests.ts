import { Attr } from "../radius/constants";
import { createUdpRadiusClient } from "./udp-radius-client";

// Buffers go out byte for byte (hostile User-Names: NUL, invalid UTF-8).
// acctSessionId: the NAS's own name for the session, which tells one login through it from another (push).
export type TBurstRequest = { port: number; username: string | Buffer; password: string; state?: Buffer; callingStationId?: string; acctSessionId?: string };
export type TBurstReply = { code: number; state?: Buffer };

// Many Access-Requests in flight at once from one socket, as a NAS under load (radclient is one process per packet,
// too slow to start 50 of together). Resolves with each request's reply, in request order.
export const sendAccessRequestReplies = async (options: { secret: string; requests: TBurstRequest[]; timeoutMs?: number }): Promise<TBurstReply[]> => {
  if (options.requests.length > 256) throw new Error("at most 256 requests: one identifier each");
  const client = await createUdpRadiusClient({ port: options.requests[0]?.port ?? 0, secret: options.secret });
  try {
    const replies = await Promise.all(
      options.requests.map((request) =>
        client.exchange({
          port: request.port,
          password: request.password,
          timeoutMs: options.timeoutMs ?? 60_000,
          attributes: [
            { type: Attr.UserName, value: typeof request.username === "string" ? Buffer.from(request.username) : request.username },
            ...(request.state ? [{ type: Attr.State, value: request.state }] : []),
            ...(request.callingStationId ? [{ type: Attr.CallingStationId, value: Buffer.from(request.callingStationId) }] : []),
            ...(request.acctSessionId ? [{ type: Attr.AcctSessionId, value: Buffer.from(request.acctSessionId) }] : []),
          ],
        }),
      ),
    );
    const answered = replies.filter((reply) => reply !== undefined);
    if (answered.length !== replies.length) throw new Error(`only ${answered.length} of ${replies.length} answered`);
    return answered.map((reply) => ({ code: reply.code, state: reply.attributes.find((attr) => attr.type === Attr.State)?.value }));
  } finally {
    await client.close();
  }
};

// The reply codes only, in request order.
export const sendAccessRequests = async (options: { secret: string; requests: TBurstRequest[]; timeoutMs?: number }): Promise<number[]> =>
  (await sendAccessRequestReplies(options)).map((reply) => reply.code);
