import { createSocket } from "node:dgram";
import { RadiusCode } from "../../lib/radius/constants";
import { decodeRequest } from "../../lib/radius/decode-request";
import { encodeResponse } from "../../lib/radius/encode-packet";
import { parsePacket } from "../../lib/radius/parse-packet";
import type { TRadiusRequest } from "../../lib/radius/request-schema";

// An upstream that accepts everyone and keeps every request it decoded, to check what Twofold sends upstream.
export const startRecordingUpstream = async (options: { secret: string }) => {
  const requests: TRadiusRequest[] = [];
  const socket = createSocket("udp4");
  const secret = Buffer.from(options.secret);
  socket.on("message", (message, rinfo) => {
    const parsed = parsePacket(message);
    if (!parsed.ok) return;
    const decoded = decodeRequest({ packet: parsed.packet, secret });
    if (!decoded.ok) return;
    requests.push(decoded.request);
    const { packet } = encodeResponse({ code: RadiusCode.AccessAccept, identifier: parsed.packet.identifier, requestAuthenticator: parsed.packet.authenticator, attributes: [], proxyStates: [], secret });
    socket.send(packet, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: socket.address().port, requests, stop: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
};
