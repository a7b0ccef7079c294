import { findGrantedAclNames } from "../acl-download/find-granted-acl-names";
import type { TAclGrantMemory } from "../acl-download/create-acl-grant-memory";
import type { TAuthEventInput } from "../auth-log/auth-event-schema";
import type { TAuthResult } from "../auth-log/reason-codes";
import { retransmitKey, type TRetransmitCache } from "../auth-flow/retransmit-cache";
import type { TConfigSnapshot } from "../config/snapshot-schema";
import type { TPrisma } from "../db";
import type { TRadiusAttribute } from "../primary-auth/types";
import { Attr, RadiusCode } from "../radius/constants";
import { encodeResponse } from "../radius/encode-packet";
import { parsePacket, type TDropReason } from "../radius/parse-packet";
import type { TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { normalizeIp } from "../net/cidr";
import { coaReplayKey, type TCoaReplayMemory } from "./create-coa-replay-memory";
import { decideCoaFreshness } from "./decide-coa-freshness";
import { errorCauseAttribute, ErrorCause, type TErrorCause } from "./error-cause";
import { findCoaSender } from "./find-coa-sender";
import { findSessionNas, type TCoaTarget } from "./find-session-nas";
import { sessionIdentity } from "./session-identity";

export type TCoaOutcome =
  | { kind: "drop"; reason: TDropReason; detail: string }
  | { kind: "absorbed" }
  | { kind: "resent"; reply: Buffer }
  // As on the authentication port: the caller journals the event, then `complete()`s and sends.
  | { kind: "answered"; reply: Buffer; code: number; event: TAuthEventInput; complete: () => void };

// `transport` sends to the NAS (from TWOFOLD_RADIUS_HOST when that is one address: lib/coa/create-coa-transport.ts).
export type TCoaDeps = { prisma: TPrisma; transport: TUpstreamTransport; grants: TAclGrantMemory; replays: TCoaReplayMemory; nasTimeoutMs: number; nasRetries: number };

const PER_HOP = new Set<number>([Attr.MessageAuthenticator, Attr.ProxyState]);
const ANSWERS: Record<number, { ack: number; nak: number; name: string }> = {
  [RadiusCode.CoaRequest]: { ack: RadiusCode.CoaAck, nak: RadiusCode.CoaNak, name: "CoA" },
  [RadiusCode.DisconnectRequest]: { ack: RadiusCode.DisconnectAck, nak: RadiusCode.DisconnectNak, name: "Disconnect" },
};

// One datagram on a CoA port (RFC 5176), from ISE/NPS to the NAS holding the session and back: the sender checked as
// one of the applications' upstream servers, the request fresh and not seen before (lib/coa/decide-coa-freshness.ts),
// the session placed (lib/coa/find-session-nas.ts), the request re-signed with that NAS's secret and sent to its CoA
// port, its ACK/NAK re-signed for the upstream. Twofold answers a NAK itself (with Error-Cause) when it cannot place
// the session or the NAS is silent. Never throws on input.
export const processCoaDatagram = async (options: {
  message: Buffer;
  address: string;
  port: number;
  snapshot: TConfigSnapshot;
  cache: TRetransmitCache;
  hostAddresses: (host: string) => readonly string[];
  deps: TCoaDeps;
  now?: Date;
}): Promise<TCoaOutcome> => {
  const parsed = parsePacket(options.message);
  if (!parsed.ok) return { kind: "drop", reason: parsed.reason, detail: parsed.detail };
  const { packet } = parsed;
  const answers = ANSWERS[packet.code];
  if (!answers) return { kind: "drop", reason: "bad_code", detail: `code ${packet.code} on the CoA port` };
  const found = findCoaSender({ snapshot: options.snapshot, address: options.address, packet, hostAddresses: options.hostAddresses });
  if (!found.ok) return { kind: "drop", reason: found.reason, detail: found.detail };
  const { sender } = found;
  const key = `coa|${retransmitKey(options.address, options.port, packet.identifier, packet.authenticator)}`;
  const state = options.cache.begin(key);
  if (state.kind === "in_progress") return { kind: "absorbed" };
  if (state.kind === "answered") return { kind: "resent", reply: state.response };

  const now = options.now ?? new Date();
  // After the retransmit cache: ISE's own retransmits get the answer again; only a copy it no longer explains is refused.
  const replayKey = coaReplayKey(normalizeIp(options.address), packet.authenticator);
  const fresh = decideCoaFreshness({
    eventTimestamp: packet.attributes.find((attr) => attr.type === Attr.EventTimestamp)?.value,
    nowMs: now.getTime(),
    seenUntilMs: options.deps.replays.seenUntil(replayKey, now.getTime()),
  });
  if (!fresh.ok) {
    options.cache.abandon(key);
    return { kind: "drop", reason: fresh.reason, detail: `${sender.server.name}: ${fresh.detail}` };
  }
  options.deps.replays.remember(replayKey, fresh.rememberUntilMs, now.getTime());
  const identity = sessionIdentity(packet.attributes);
  // ISE may name a new downloadable ACL in a CoA: the NAS fetches it next, from the server that named it.
  for (const aclName of findGrantedAclNames(packet.attributes)) {
    for (const applicationId of sender.applicationIds) options.deps.grants.remember({ applicationId, aclName, serverId: sender.server.id });
  }
  const proxyStates = packet.attributes.filter((attr) => attr.type === Attr.ProxyState).map((attr) => attr.value);
  const answer = (code: number, attributes: TRadiusAttribute[], result: TAuthResult, target: TCoaTarget | undefined, detail: Record<string, string | number>): TCoaOutcome => {
    const { packet: reply } = encodeResponse({ code, identifier: packet.identifier, requestAuthenticator: packet.authenticator, attributes, proxyStates, secret: sender.secret });
    const username = identity.userName ?? target?.username ?? "";
    const event: TAuthEventInput = {
      usernameRaw: username,
      username,
      applicationId: target?.client.applicationId ?? sender.applicationIds[0] ?? null,
      radiusClientId: target?.client.id ?? null,
      clientName: target?.client.name ?? null,
      nasIp: identity.nasIp ?? target?.address ?? null,
      callingStationId: identity.callingStationId ?? null,
      result,
      reason: packet.code === RadiusCode.CoaRequest ? "coa" : "disconnect",
      attributes: { upstream: sender.server.name, ...(target ? { nas: `${target.address}:${target.client.coaPort}`, placedBy: target.via } : {}), ...(identity.acctSessionId ? { acctSessionId: identity.acctSessionId } : {}), ...detail },
    };
    return { kind: "answered", reply, code, event, complete: () => options.cache.complete(key, reply) };
  };
  const nak = (cause: TErrorCause, result: TAuthResult, target: TCoaTarget | undefined, detail: string) =>
    answer(answers.nak, [errorCauseAttribute(cause)], result, target, { answer: `${answers.name}-NAK`, errorCause: cause, detail });

  const placed = await findSessionNas({ prisma: options.deps.prisma, snapshot: options.snapshot, applicationIds: sender.applicationIds, identity, now });
  if (!placed.ok) return nak(placed.errorCause, "failure", undefined, placed.detail);
  const { target } = placed;
  const forwarded = packet.attributes.filter((attr) => !PER_HOP.has(attr.type));
  const result = await options.deps.transport.exchange({
    target: { host: target.address, port: target.client.coaPort, secret: target.client.radiusSecret },
    code: packet.code,
    attributes: () => forwarded,
    timeoutMs: options.deps.nasTimeoutMs,
    retries: options.deps.nasRetries,
  });
  if (!result.ok) return nak(ErrorCause.OtherProxyProcessingError, "error", target, `the NAS did not answer: ${result.detail}`);
  const reply = result.packet;
  if (reply.code !== answers.ack && reply.code !== answers.nak) return nak(ErrorCause.OtherProxyProcessingError, "error", target, `the NAS answered with code ${reply.code}`);
  const acked = reply.code === answers.ack;
  const relayed = reply.attributes.filter((attr) => !PER_HOP.has(attr.type));
  const cause = relayed.find((attr) => attr.type === Attr.ErrorCause && attr.value.length === 4)?.value.readUInt32BE(0);
  return answer(reply.code, relayed, acked ? "success" : "failure", target, { answer: `${answers.name}-${acked ? "ACK" : "NAK"}`, ...(cause ? { errorCause: cause } : {}) });
};
