import { randomUUID } from "node:crypto";
import { refusedEvent } from "../auth-log/refused-event";
import { downloadAcl, type TAclDownloadDeps } from "../acl-download/download-acl";
import { isAclDownloadRequest } from "../acl-download/is-acl-download-request";
import type { TAuthEventInput } from "../auth-log/auth-event-schema";
import { replyMessageFor } from "../auth-log/reason-messages";
import type { TConfigSnapshot } from "../config/snapshot-schema";
import { longestPrefixMatch } from "../net/cidr";
import { bytesAttribute } from "../radius/attributes";
import { Attr, RadiusCode } from "../radius/constants";
import { decodeRequest } from "../radius/decode-request";
import { encodeResponse } from "../radius/encode-packet";
import { parsePacket, type TDropReason } from "../radius/parse-packet";
import { verifyRequest } from "../radius/verify-request";
import { authenticateAccessRequest } from "./authenticate-access-request";
import type { TFlowDecision, TFlowDeps } from "./flow-types";
import { retransmitKey, type TRetransmitCache } from "./retransmit-cache";

export type TDatagramOutcome =
  | { kind: "drop"; reason: TDropReason; detail: string }
  | { kind: "absorbed" } // retransmit of a request still being worked on
  | { kind: "resent"; reply: Buffer } // retransmit of an answered request: the same bytes again
  | { kind: "status"; reply: Buffer }
  // The caller journals the event, then `complete()`s with the reply it sends: until then a retransmit is absorbed, so
  // no NAS ever receives a (cached) answer whose event is not yet on disk. Should the journal refuse the event of an
  // Access-Accept, the caller sends `refuse(detail)` instead: an `error` reject for the same request, with its event.
  | { kind: "answered"; reply: Buffer; code: number; event: TAuthEventInput; complete: (sent?: Buffer) => void; refuse: (detail: string) => TAnswer };

export type TAnswer = { reply: Buffer; code: number; event: TAuthEventInput };

// Told like any other internal error (lib/auth-log/reason-messages.ts), so the user does not retype a password.
const errorMessage = () => bytesAttribute(Attr.ReplyMessage, Buffer.from(replyMessageFor({ reason: "error" }), "utf8"));

// One datagram on the authentication port, from bytes to the reply bytes. Never throws on input; a failure of the
// flow itself (database gone, a bug) becomes an Access-Reject with reason "error" so the NAS is not left waiting.
export const processAuthDatagram = async (options: {
  message: Buffer;
  address: string;
  port: number;
  snapshot: TConfigSnapshot;
  cache: TRetransmitCache;
  deps: TFlowDeps;
  aclDownload: TAclDownloadDeps;
  log: (line: string) => void;
}): Promise<TDatagramOutcome> => {
  const { message, address, port, snapshot, cache } = options;
  const parsed = parsePacket(message);
  if (!parsed.ok) return { kind: "drop", reason: parsed.reason, detail: parsed.detail };
  const { packet } = parsed;
  const client = longestPrefixMatch(snapshot.clients, address);
  if (!client) return { kind: "drop", reason: "unknown_client", detail: "no RADIUS client matches this address" };
  if (packet.code !== RadiusCode.AccessRequest && packet.code !== RadiusCode.StatusServer) {
    return { kind: "drop", reason: "bad_code", detail: `code ${packet.code} on the authentication port` };
  }
  const secret = client.radiusSecret; // prepared at snapshot load
  const verified = verifyRequest({ packet, secret, requireMessageAuthenticator: client.requireMessageAuthenticator });
  if (!verified.ok) return { kind: "drop", reason: verified.reason, detail: `${client.name}: ${verified.detail}` };
  const proxyStates = packet.attributes.filter((attr) => attr.type === Attr.ProxyState).map((attr) => attr.value);
  if (packet.code === RadiusCode.StatusServer) {
    const { packet: reply } = encodeResponse({ code: RadiusCode.AccessAccept, identifier: packet.identifier, requestAuthenticator: packet.authenticator, attributes: [], proxyStates, secret });
    return { kind: "status", reply };
  }
  const key = retransmitKey(address, port, packet.identifier, packet.authenticator);
  const state = cache.begin(key);
  if (state.kind === "in_progress") return { kind: "absorbed" };
  if (state.kind === "answered") return { kind: "resent", reply: state.response };
  const decoded = decodeRequest({ packet, secret });
  if (!decoded.ok) {
    cache.abandon(key);
    return { kind: "drop", reason: decoded.reason, detail: `${client.name}: ${decoded.detail}` };
  }
  const application = snapshot.applications.find((candidate) => candidate.id === client.applicationId);
  let decision: TFlowDecision;
  try {
    if (!application) throw new Error(`RADIUS client ${client.name} has no application`);
    // The NAS fetching a downloadable ACL is not a login: recognized by all its markers, relayed before the pipeline.
    const acl = isAclDownloadRequest(decoded.request);
    decision = acl
      ? await downloadAcl({ application, client, request: decoded.request, aclName: acl.aclName, deps: options.aclDownload })
      : await authenticateAccessRequest({ snapshot, client, application, request: decoded.request, clientAddress: address }, options.deps);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    options.log(`access-request from ${client.name} failed: ${detail}`);
    decision = {
      code: RadiusCode.AccessReject,
      attributes: [errorMessage()],
      event: {
        usernameRaw: decoded.request.userName ?? "",
        username: decoded.request.userName ?? "",
        applicationId: application?.id ?? null,
        radiusClientId: client.id,
        clientName: client.name,
        nasIp: decoded.request.nasIp ?? null,
        callingStationId: decoded.request.callingStationId ?? null,
        result: "error",
        reason: "error",
        attributes: { detail },
      },
    };
  }
  const encode = () => encodeResponse({ code: decision.code, identifier: packet.identifier, requestAuthenticator: packet.authenticator, attributes: decision.attributes, proxyStates, secret });
  const encoded = encode();
  let reply = encoded.packet;
  if (encoded.omitted > 0 && decision.event.reason === "acl_download") {
    // A downloadable ACL missing entries would be enforced as if complete: refuse it rather than send part of it.
    decision = { code: RadiusCode.AccessReject, attributes: [], event: { ...decision.event, result: "error", attributes: { detail: `${encoded.omitted} ACL entries do not fit in one RADIUS packet` } } };
    reply = encode().packet;
  }
  // Its id chosen here, so that a refusal can name the event it replaces.
  const event = { ...decision.event, eventId: decision.event.eventId ?? randomUUID() };
  const refuse = (detail: string): TAnswer => ({
    reply: encodeResponse({ code: RadiusCode.AccessReject, identifier: packet.identifier, requestAuthenticator: packet.authenticator, attributes: [errorMessage()], proxyStates, secret }).packet,
    code: RadiusCode.AccessReject,
    event: refusedEvent(event, detail),
  });
  return { kind: "answered", reply, code: decision.code, event, complete: (sent = reply) => cache.complete(key, sent), refuse };
};
