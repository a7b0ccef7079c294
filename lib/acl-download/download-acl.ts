import type { TFlowDecision } from "../auth-flow/flow-types";
import type { TAuthResult } from "../auth-log/reason-codes";
import type { TSnapshotApplication, TSnapshotClient, TSnapshotPrimaryServer } from "../config/snapshot-schema";
import type { TPrisma } from "../db";
import type { TRadiusAttribute } from "../primary-auth/types";
import { bytesAttribute } from "../radius/attributes";
import { Attr, RadiusCode } from "../radius/constants";
import { encryptPassword } from "../radius/password";
import { createRadiusSecret } from "../radius/radius-secret";
import type { TRadiusRequest } from "../radius/request-schema";
import type { TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { forwardableAttributes } from "../radius/upstream/forwardable-attributes";
import type { THoldDown } from "../radius/upstream/hold-down";
import { issueChallenge, takeChallenge } from "../second-factor/challenge-state";
import type { TAclGrantMemory } from "./create-acl-grant-memory";
import { pickAclContent } from "./pick-acl-content";

export type TAclDownloadDeps = { prisma: TPrisma; transport: TUpstreamTransport; holdDown: THoldDown; grants: TAclGrantMemory };

// The NAS asks for the next page within moments; a page State outliving that is of no use to anyone.
const PAGE_STATE_TTL_SEC = 60;

// The NAS's request as the upstream gets it: every attribute as sent (the markers, NAS-IP-Address, the name), the
// per-hop ones rebuilt for this hop — User-Password re-hidden with the upstream's secret, the upstream's own State.
const upstreamAttributes = (request: TRadiusRequest, server: TSnapshotPrimaryServer, upstreamState: Buffer | undefined) => (authenticator: Buffer): TRadiusAttribute[] => {
  const secret = server.radiusSecret ?? createRadiusSecret(server.secret ?? "");
  const attributes = forwardableAttributes({ attributes: request.attributes });
  if (request.password) attributes.push(bytesAttribute(Attr.UserPassword, encryptPassword({ password: request.password, secret, authenticator })));
  if (upstreamState) attributes.push(bytesAttribute(Attr.State, upstreamState));
  return attributes;
};

// A page's continuation goes to the server that sent the page, alone (the State it kept names it): another server,
// even another node of the same ISE cluster, knows no such State. A first request: the granting server first (it holds
// the ACL), then the rest as the primary orders them: servers answering before held-down ones.
const orderServers = (application: TSnapshotApplication, deps: TAclDownloadDeps, aclName: string, pageServerId: string | undefined): TSnapshotPrimaryServer[] => {
  const usable = application.primaryAuthServers.filter((server) => server.kind === "radius" && server.secret);
  if (pageServerId) return usable.filter((server) => server.id === pageServerId);
  const granting = deps.grants.serverFor({ applicationId: application.id, aclName });
  const rank = (server: TSnapshotPrimaryServer) => (server.id === granting ? 0 : deps.holdDown.isDown(server.id) ? 2 : 1);
  return [...usable].sort((a, b) => rank(a) - rank(b)); // stable: position order within a rank
};

// A downloadable-ACL fetch (lib/acl-download/is-acl-download-request.ts), relayed to the application's upstream RADIUS:
// no second factor, no Twofold user, no lockout. The NAS gets only the ACL's entries; a long ACL comes in pages
// (Access-Challenge + State, Cisco's protocol), each page's State bound to this client and ACL name like every State.
export const downloadAcl = async (options: { application: TSnapshotApplication; client: TSnapshotClient; request: TRadiusRequest; aclName: string; deps: TAclDownloadDeps }): Promise<TFlowDecision> => {
  const { application, client, request, aclName, deps } = options;
  const started = performance.now();
  const decide = (code: number, result: TAuthResult, attributes: TRadiusAttribute[], detail: Record<string, string | number>): TFlowDecision => ({
    code,
    attributes,
    event: {
      usernameRaw: aclName,
      username: aclName,
      userId: null,
      applicationId: application.id,
      radiusClientId: client.id,
      clientName: client.name,
      nasIp: request.nasIp ?? null,
      callingStationId: request.callingStationId ?? null,
      result,
      reason: "acl_download",
      primaryMs: Math.round(performance.now() - started),
      attributes: detail,
    },
  });

  let upstreamState: Buffer | undefined;
  let pageServerId: string | undefined;
  if (request.state) {
    const taken = await takeChallenge({ prisma: deps.prisma, state: request.state, clientId: client.id, username: aclName, now: new Date() });
    if (!taken.ok || taken.data.purpose !== "upstream" || !taken.data.upstreamState) return decide(RadiusCode.AccessReject, "failure", [], { detail: "the page State is unknown, spent or expired" });
    upstreamState = Buffer.from(taken.data.upstreamState, "hex");
    pageServerId = taken.data.upstreamServerId;
  }
  const servers = application.primaryAuthMode === "radius" ? orderServers(application, deps, aclName, pageServerId) : [];
  if (servers.length === 0 && pageServerId) return decide(RadiusCode.AccessReject, "failure", [], { detail: "the upstream server that sent the previous page is no longer configured" });
  if (servers.length === 0) return decide(RadiusCode.AccessReject, "failure", [], { detail: "the application has no upstream RADIUS server to download ACLs from" });

  const failures: string[] = [];
  for (const server of servers) {
    const result = await deps.transport.exchange({
      target: { host: server.host, port: server.port, secret: server.radiusSecret ?? createRadiusSecret(server.secret ?? "") },
      code: RadiusCode.AccessRequest,
      attributes: upstreamAttributes(request, server, upstreamState),
      timeoutMs: server.timeoutMs,
      retries: server.retries,
    });
    if (!result.ok) {
      deps.holdDown.markDown(server.id);
      failures.push(`${server.name}: ${result.detail}`);
      continue; // only silence moves on, as for logins
    }
    deps.holdDown.markUp(server.id);
    const content = pickAclContent(result.packet.attributes);
    const detail = { server: server.name, entries: content.length };
    switch (result.packet.code) {
      case RadiusCode.AccessAccept:
        deps.grants.remember({ applicationId: application.id, aclName, serverId: server.id });
        return decide(RadiusCode.AccessAccept, "success", content, detail);
      case RadiusCode.AccessChallenge: {
        const pageState = result.packet.attributes.find((attr) => attr.type === Attr.State)?.value;
        if (!pageState) return decide(RadiusCode.AccessReject, "error", [], { ...detail, detail: "Access-Challenge without State" });
        deps.grants.remember({ applicationId: application.id, aclName, serverId: server.id });
        // The server goes with the State, as an EAP round's does: the next page may reach any worker process.
        const data = { purpose: "upstream" as const, upstreamState: pageState.toString("hex"), upstreamServerId: server.id };
        const state = await issueChallenge({ prisma: deps.prisma, clientId: client.id, username: aclName, data, attempts: 0, ttlSec: PAGE_STATE_TTL_SEC, now: new Date() });
        // State first: should the page not fit beside it, an entry is what the encoder leaves out (and the caller refuses).
        return decide(RadiusCode.AccessChallenge, "success", [bytesAttribute(Attr.State, state), ...content], { ...detail, page: "partial" });
      }
      case RadiusCode.AccessReject:
        return decide(RadiusCode.AccessReject, "failure", [], { ...detail, detail: "the upstream refused the download" });
      default:
        failures.push(`${server.name}: unexpected reply code ${result.packet.code}`);
    }
  }
  return decide(RadiusCode.AccessReject, "error", [], { detail: `no upstream answered: ${failures.join("; ")}` });
};
