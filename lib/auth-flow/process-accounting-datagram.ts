import type { TAccountingEventInput } from "../auth-log/auth-event-schema";
import { accountingServers } from "../accounting-forward/create-accounting-forwarder";
import type { TSessionRecord } from "../coa/record-session";
import { sessionIdentity } from "../coa/session-identity";
import type { TConfigSnapshot } from "../config/snapshot-schema";
import { longestPrefixMatch, normalizeIp } from "../net/cidr";
import { normalizeUsername } from "../policy/normalize-username";
import { resolveEffectivePolicy } from "../policy/resolve-effective-policy";
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
  | { kind: "absorbed" } // a retransmit of a record still being stored: its answer comes once it is
  | { kind: "resent"; reply: Buffer } // a retransmit's cached answer, or a Status-Server answer: send, record nothing
  | {
      kind: "answered";
      reply: Buffer;
      event: TAccountingEventInput;
      // The caller stores the record (journal, forward queue), then `complete()`s and answers — or `abandon()`s, when
      // it could not store it, so the NAS's retransmit is taken afresh.
      complete: () => void;
      abandon: () => void;
      // For the application's upstream accounting server (lib/accounting-forward), when it has one.
      forward?: { applicationId: string; attributes: TRadiusAttribute[] };
      session: TSessionRecord; // for RadiusSession (lib/coa): where CoA for it goes
    };

// Accounting-Request on the accounting port: verified with the client's secret; the caller records it, queues it for
// the upstream and answers.
export const processAccountingDatagram = (options: { message: Buffer; address: string; port: number; snapshot: TConfigSnapshot; cache: TRetransmitCache }): TAccountingOutcome => {
  const parsed = parsePacket(options.message);
  if (!parsed.ok) return { kind: "drop", reason: parsed.reason, detail: parsed.detail };
  const { packet } = parsed;
  const client = longestPrefixMatch(options.snapshot.clients, options.address);
  if (!client) return { kind: "drop", reason: "unknown_client", detail: "no RADIUS client matches this address" };
  if (packet.code !== RadiusCode.AccountingRequest && packet.code !== RadiusCode.StatusServer) {
    return { kind: "drop", reason: "bad_code", detail: `code ${packet.code} on the accounting port` };
  }
  const secret = client.radiusSecret; // prepared at snapshot load
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
  if (state.kind === "in_progress") return { kind: "absorbed" };
  if (state.kind === "answered") return { kind: "resent", reply: state.response };
  const decoded = decodeRequest({ packet, secret });
  if (!decoded.ok) {
    options.cache.abandon(key);
    return { kind: "drop", reason: decoded.reason, detail: decoded.detail };
  }
  const { request } = decoded;
  const proxyStates = request.proxyStates;
  const { packet: reply } = encodeResponse({ code: RadiusCode.AccountingResponse, identifier: packet.identifier, requestAuthenticator: packet.authenticator, attributes: [], proxyStates, secret });
  const readable = Object.fromEntries(Object.entries(request.byName).map(([name, values]) => [name, values.map(printable)]));
  const application = options.snapshot.applications.find((candidate) => candidate.id === client.applicationId);
  const identity = sessionIdentity(packet.attributes);
  const policy = resolveEffectivePolicy({ global: options.snapshot.globalPolicy, application: options.snapshot.policyOverrides.find((row) => row.applicationId === application?.id) ?? null });
  const forwarded = request.attributes.filter((attr) => attr.type !== Attr.MessageAuthenticator && attr.type !== Attr.ProxyState);
  return {
    kind: "answered",
    reply,
    complete: () => options.cache.complete(key, reply),
    abandon: () => options.cache.abandon(key),
    event: {
      username: request.userName ?? "",
      statusType: STATUS_TYPES[request.acctStatusType ?? 0] ?? String(request.acctStatusType ?? "unknown"),
      sessionId: request.acctSessionId ?? null,
      nasIp: request.nasIp ?? null,
      attributes: { client: client.name, ...readable },
    },
    forward: application && accountingServers(options.snapshot, application.id).length > 0 ? { applicationId: application.id, attributes: forwarded } : undefined,
    session: {
      radiusClientId: client.id,
      applicationId: application?.id ?? null,
      nasAddress: normalizeIp(options.address),
      statusType: request.acctStatusType ?? 0,
      identity,
      userKey: identity.userName ? normalizeUsername({ username: identity.userName, mode: policy.usernameNormalization }) : "",
    },
  };
};
