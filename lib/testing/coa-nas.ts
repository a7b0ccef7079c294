import { createSocket } from "node:dgram";
import type { TRadiusAttribute } from "../primary-auth/types";
import { Attr, RadiusCode } from "../radius/constants";
import { encodeResponse } from "../radius/encode-packet";
import { parsePacket } from "../radius/parse-packet";
import { verifyRequest } from "../radius/verify-request";

// `from`: the address the request came from (the ASA takes CoA only from its aaa-server hosts).
export type TCoaNasRequest = { code: number; authenticator: Buffer; attributes: TRadiusAttribute[]; from: string; text: (type: number) => string | undefined };
// The NAS's answer: ACK, or NAK with an Error-Cause, after a delay if asked; or silence.
export type TCoaNasAnswer = { ack: boolean; errorCause?: number; delayMs?: number } | "silent";

// The ASA's dynamic-authorization listener, for the tests: takes CoA/Disconnect-Requests only when they verify with the
// NAS's secret (Request Authenticator and a Message-Authenticator, which it requires), records them, answers as told.
export const startCoaNas = async (options: { secret: string; answer: (request: TCoaNasRequest) => TCoaNasAnswer }) => {
  const secret = Buffer.from(options.secret);
  const received: TCoaNasRequest[] = [];
  let refused = 0;
  const socket = createSocket("udp4");
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  socket.on("message", (message, rinfo) => {
    const parsed = parsePacket(message);
    if (!parsed.ok || parsed.packet.messageAuthenticatorOffset === undefined || !verifyRequest({ packet: parsed.packet, secret, requireMessageAuthenticator: true }).ok) {
      refused += 1;
      return;
    }
    const { packet } = parsed;
    const request: TCoaNasRequest = {
      code: packet.code,
      authenticator: Buffer.from(packet.authenticator),
      attributes: packet.attributes,
      from: rinfo.address,
      text: (type) => packet.attributes.find((attr) => attr.type === type)?.value.toString("utf8"),
    };
    received.push(request);
    const answer = options.answer(request);
    if (answer === "silent") return;
    const isCoa = packet.code === RadiusCode.CoaRequest;
    const code = answer.ack ? (isCoa ? RadiusCode.CoaAck : RadiusCode.DisconnectAck) : isCoa ? RadiusCode.CoaNak : RadiusCode.DisconnectNak;
    const attributes: TRadiusAttribute[] = [];
    if (!answer.ack && answer.errorCause) {
      const value = Buffer.alloc(4);
      value.writeUInt32BE(answer.errorCause);
      attributes.push({ type: Attr.ErrorCause, value });
    }
    const { packet: reply } = encodeResponse({ code, identifier: packet.identifier, requestAuthenticator: packet.authenticator, attributes, proxyStates: [], secret });
    // A delayed answer may come due after the test stopped this NAS: a stopped NAS answers nothing.
    const timer = setTimeout(() => {
      if (!stopped) socket.send(reply, rinfo.port, rinfo.address);
    }, answer.delayMs ?? 0);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const stop = () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    return new Promise<void>((resolve) => socket.close(() => resolve()));
  };
  return { port: socket.address().port, received, refused: () => refused, stop };
};
