import type { TConfigSnapshot, TSnapshotPrimaryServer } from "../config/snapshot-schema";
import { normalizeIp } from "../net/cidr";
import type { TDropReason, TRawPacket } from "../radius/parse-packet";
import { createRadiusSecret, type TRadiusSecret } from "../radius/radius-secret";
import { verifyRequest } from "../radius/verify-request";

export type TCoaSender = { server: TSnapshotPrimaryServer; secret: TRadiusSecret; applicationIds: string[] };
export type TFindSenderResult = { ok: true; sender: TCoaSender } | { ok: false; reason: TDropReason; detail: string };

// CoA and Disconnect are taken only from the applications' upstream RADIUS servers (ISE/NPS), with their secret:
// Request Authenticator (RFC 5176 §2.3) and a Message-Authenticator, always. ISE signs every CoA with one; without it
// the MD5 Request Authenticator alone would stand between a forged Disconnect and every VPN session, so there is no
// opt-out. One ISE serving several applications with one secret may act on any of their sessions; a server is known
// by its address (`hostAddresses` resolves a configured name; the worker keeps those lookups).
export const findCoaSender = (options: { snapshot: TConfigSnapshot; address: string; packet: TRawPacket; hostAddresses: (host: string) => readonly string[] }): TFindSenderResult => {
  const address = normalizeIp(options.address);
  const candidates = options.snapshot.applications.flatMap((application) =>
    application.primaryAuthServers
      .filter((server) => server.kind === "radius" && server.secret && options.hostAddresses(server.host).some((candidate) => normalizeIp(candidate) === address))
      .map((server) => ({ server, applicationId: application.id })),
  );
  if (candidates.length === 0) return { ok: false, reason: "unknown_client", detail: "not an upstream RADIUS server of any application" };
  if (options.packet.messageAuthenticatorOffset === undefined) {
    return { ok: false, reason: "missing_message_authenticator", detail: "CoA/Disconnect-Request without Message-Authenticator (required from upstream servers)" };
  }
  let failure: TFindSenderResult = { ok: false, reason: "bad_authenticator", detail: "" };
  for (const { server } of candidates) {
    const secret = server.radiusSecret ?? createRadiusSecret(server.secret ?? "");
    const verified = verifyRequest({ packet: options.packet, secret, requireMessageAuthenticator: true });
    if (!verified.ok) {
      failure = { ok: false, reason: verified.reason, detail: `${server.name}: ${verified.detail}` };
      continue;
    }
    const applicationIds = [...new Set(candidates.filter((candidate) => candidate.server.secret === server.secret).map((candidate) => candidate.applicationId))];
    return { ok: true, sender: { server, secret, applicationIds } };
  }
  return failure;
};
