import type { TAccountingEventInput } from "../auth-log/auth-event-schema";
import type { TConfigSnapshot, TSnapshotPrimaryServer } from "../config/snapshot-schema";
import { longestPrefixMatch } from "../net/cidr";
import type { TRadiusAttribute } from "../primary-auth/types";
import { Attr, RadiusCode } from "../radius/constants";
import { decodeRequest } from "../radius/decode-request";
import { encodeResponse } from "../radius/encode-packet";
import { parsePacket, type TDropReason } from "../radius/parse-packet";
import { verifyRequest } from "../radius/verify-request";
import { retransmitKey, type TRetransmitCache } from "./retransmit-cache";

// JSON for the log: text when it is text, hex otherwise (jsonb refuses \u0000, and binary is not text anyway).
const printable = (value: Buffer): string => {
  const text = value.toString("utf8");
  return /^[^\u0000-\u001f\u007f\ufffd]*$/u.test(text) ? text : `0x${value.toString("hex")}`;
};

const STATUS_TYPES: Record<number, string> = { 1: "Start", 2: "Stop", 3: "Interim-Update", 7: "Accounting-On", 8: "Accounting-Off" };

export type TAccountingOutcome =
  | { kind: "drop"; reason: TDropReason; detail: string }
  | { kind: "resent"; reply: Buffer } // a retransmit's cached answer, or a Status-Server answer: send, record nothing
  | {
      kind: "answered";
      reply: Buffer;
      event: TAccountingEventInput;
      // Where to forward the record (the application's first RADIUS server with an accounting port), if anywhere.
      forward?: { server: TSnapshotPrimaryServer; attributes: TRadiusAttribute[] };
    };

// Accounting-Request on the accounting port: verified with the client's secret, answered, recorded, forwarded.
export const processAccountingDatagram = (options: { message: Buffer; address: string; port: number; snapshot: TConfigSnapshot; cache: TRetransmitCache }): TAccountingOutcome => {
  const parsed = parsePacket(options.message);
  if (!parsed.ok) return { kind: "drop", reason: parsed.reason, detail: parsed.detail };
  const { packet } = parsed;
  const client = longestPrefixMatch(options.snapshot.clients, options.address);
  if (!client) return { kind: "drop", reason: "unknown_client", detail: "no RADIUS client matches this address" };
  if (packet.code !== RadiusCode.AccountingRequest && packet.code !== RadiusCode.StatusServer) {
    return { kind: "drop", reason: "bad_code", detail: `code ${packet.code} on the accounting port` };
  }
  const secret = Buffer.from(client.secret, "utf8");
  const verified = verifyRequest({ packet, secret, requireMessageAuthenticator: false });
  if (!verified.ok) return { kind: "drop", reason: verified.reason, detail: `${client.name}: ${verified.detail}` };
  if (packet.code === RadiusCode.StatusServer) {
    // RFC 5997 §3: Status-Server on the accounting port is answered with an Accounting-Response.
    const proxyStates = packet.attributes.filter((attr) => attr.type === Attr.ProxyState).map((attr) => attr.value);
    const { packet: reply } = encodeResponse({ code: RadiusCode.AccountingResponse, identifier: packet.identifier, requestAuthenticator: packet.authenticator, attributes: [], proxyStates, secret, answersStatusServer: true });
    return { kind: "resent", reply };
  }
  const key = `acct|${retransmitKey(options.address, options.port, packet.identifier, packet.authenticator)}`;
  const state = options.cache.begin(key);
  if (state.kind === "answered") return { kind: "resent", reply: state.response };
  const decoded = decodeRequest({ packet, secret });
  if (!decoded.ok) {
    options.cache.abandon(key);
    return { kind: "drop", reason: decoded.reason, detail: decoded.detail };
  }
  const { request } = decoded;
  const proxyStates = request.proxyStates;
  const { packet: reply } = encodeResponse({ code: RadiusCode.AccountingResponse, identifier: packet.identifier, requestAuthenticator: packet.authenticator, attributes: [], proxyStates, secret });
  options.cache.complete(key, reply);
  const readable = Object.fromEntries(Object.entries(request.byName).map(([name, values]) => [name, values.map(printable)]));
  const application = options.snapshot.applications.find((candidate) => candidate.id === client.applicationId);
  const server = application?.primaryAuthServers.find((candidate) => candidate.kind === "radius" && candidate.accountingPort && candidate.secret);
  return {
    kind: "answered",
    reply,
    event: {
      username: request.userName ?? "",
      statusType: STATUS_TYPES[request.acctStatusType ?? 0] ?? String(request.acctStatusType ?? "unknown"),
      sessionId: request.acctSessionId ?? null,
      nasIp: request.nasIp ?? null,
      attributes: { client: client.name, ...readable },
    },
    forward: server ? { server, attributes: request.attributes.filter((attr) => attr.type !== Attr.MessageAuthenticator && attr.type !== Attr.ProxyState) } : undefined,
  };
};
