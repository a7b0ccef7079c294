import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import type { TRadiusAttribute } from "../primary-auth/types";
import { Attr, RadiusCode } from "../radius/constants";
import { encodeRequest } from "../radius/encode-packet";
import { encryptPassword } from "../radius/password";

export type TRetransmittingNasOptions = { secret: string; identifier: number; password: string; attributes: TRadiusAttribute[] };

// One Access-Request sent, byte for byte, to whichever worker ports a test names from one socket: a NAS retransmitting
// or failing over, so every worker sees the same source address, port, identifier and authenticator. Each reply's code
// is kept by the port that sent it (radclient cannot do this: every run is a new packet from a new port).
export const openRetransmittingNas = async ({ secret, identifier, password, attributes }: TRetransmittingNasOptions) => {
  const key = Buffer.from(secret);
  const authenticator = randomBytes(16);
  const { packet } = encodeRequest({
    code: RadiusCode.AccessRequest,
    identifier,
    authenticator,
    secret: key,
    attributes: [...attributes, { type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from(password), secret: key, authenticator }) }],
  });
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const replies = new Map<number, number>();
  socket.on("message", (reply, from) => replies.set(from.port, reply[0] ?? 0));
  return {
    replies,
    send: (port: number) => new Promise<void>((resolve, reject) => socket.send(packet, port, "127.0.0.1", (error) => (error ? reject(error) : resolve()))),
    close: () => socket.close(),
  };
};
