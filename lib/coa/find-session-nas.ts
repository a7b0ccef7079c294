import { NOT_LOGIN_REASONS } from "../auth-log/reason-codes";
import type { TConfigSnapshot, TSnapshotClient } from "../config/snapshot-schema";
import type { TPrisma } from "../db";
import { cidrContains, longestPrefixMatch } from "../net/cidr";
import { normalizeUsername } from "../policy/normalize-username";
import { ErrorCause, type TErrorCause } from "./error-cause";
import type { TSessionIdentity } from "./session-identity";

export type TCoaTarget = { client: TSnapshotClient; address: string; via: "session" | "nas_ip" | "auth_event"; username?: string; sessionId?: string };
export type TFindNasResult = { ok: true; target: TCoaTarget } | { ok: false; errorCause: TErrorCause; detail: string };

// How long a successful login still places a user at its NAS when the NAS reports no accounting to Twofold.
const AUTH_EVENT_WINDOW_MS = 24 * 3600_000;

// Both spellings the policy may have stored a name under.
const userKeys = (name: string) => [...new Set([normalizeUsername({ username: name, mode: "none" }), normalizeUsername({ username: name, mode: "strip_domain" })])];

const isSingleHost = (client: TSnapshotClient) => client.cidr.prefix === (client.cidr.family === 4 ? 32 : 128);

// Where to send it, most precise first (RFC 5176 §3.1, a proxy routes by what identifies the NAS and the session):
// 1. live sessions from accounting matching every identification attribute given; 2. the NAS named by
// NAS-IP-Address; 3. the user's last successful login (when accounting goes elsewhere). Only the clients of
// `applicationIds` (those of the upstream that sent it) are candidates.
export const findSessionNas = async (options: { prisma: TPrisma; snapshot: TConfigSnapshot; applicationIds: readonly string[]; identity: TSessionIdentity; now: Date }): Promise<TFindNasResult> => {
  const { identity, applicationIds } = options;
  const clients = options.snapshot.clients.filter((client) => client.applicationId !== null && applicationIds.includes(client.applicationId));
  const byId = new Map(clients.map((client) => [client.id, client]));
  const { userName, acctSessionId, framedIp, callingStationId, auditSessionId, nasIp } = identity;
  if (!userName && !acctSessionId && !framedIp && !callingStationId && !auditSessionId && !nasIp) {
    return { ok: false, errorCause: ErrorCause.MissingAttribute, detail: "no session or NAS identification attribute" };
  }

  if (userName || acctSessionId || framedIp || callingStationId || auditSessionId) {
    const rows = await options.prisma.radiusSession.findMany({
      where: {
        stoppedAt: null,
        radiusClientId: { in: [...byId.keys()] },
        ...(acctSessionId ? { acctSessionId } : {}),
        ...(framedIp ? { framedIp } : {}),
        ...(callingStationId ? { callingStationId } : {}),
        ...(auditSessionId ? { auditSessionId } : {}),
        AND: [
          userName ? { OR: [{ username: userName }, { userKey: { in: userKeys(userName) } }] } : {},
          nasIp ? { OR: [{ nasIp }, { nasAddress: nasIp }] } : {},
        ],
      },
      orderBy: { updatedAt: "desc" },
      take: 50,
    });
    const targets = new Map<string, TCoaTarget>();
    for (const row of rows) {
      const client = byId.get(row.radiusClientId);
      if (client) targets.set(`${client.id}|${row.nasAddress}`, { client, address: row.nasAddress, via: "session", username: row.username, sessionId: row.acctSessionId });
    }
    if (targets.size > 1) return { ok: false, errorCause: ErrorCause.MultipleSessionSelectionUnsupported, detail: `${rows.length} sessions on ${targets.size} NASes match` };
    const [only] = targets.values();
    if (only) return { ok: true, target: only };
  }

  if (nasIp) {
    const client = longestPrefixMatch(clients, nasIp);
    if (client) return { ok: true, target: { client, address: nasIp, via: "nas_ip", username: userName } };
  }

  if (userName || callingStationId) {
    const event = await options.prisma.authEvent.findFirst({
      where: {
        time: { gte: new Date(options.now.getTime() - AUTH_EVENT_WINDOW_MS) },
        result: "success",
        reason: { notIn: [...NOT_LOGIN_REASONS] },
        radiusClientId: { in: [...byId.keys()] },
        ...(userName ? { OR: [{ usernameRaw: userName }, { username: { in: userKeys(userName) } }] } : {}),
        ...(callingStationId ? { callingStationId } : {}),
      },
      orderBy: [{ time: "desc" }, { id: "desc" }],
      select: { radiusClientId: true, nasIp: true, username: true },
    });
    const client = event?.radiusClientId ? byId.get(event.radiusClientId) : undefined;
    if (client) {
      // The NAS is where the login came from: its NAS-IP-Address when the client's range holds it, or the client's
      // one address. A client configured as a range with no usable NAS-IP-Address cannot be placed.
      const address = event?.nasIp && cidrContains(client.cidr, event.nasIp) ? event.nasIp : isSingleHost(client) ? client.cidr.text : undefined;
      if (address) return { ok: true, target: { client, address, via: "auth_event", username: event?.username } };
    }
  }
  return { ok: false, errorCause: ErrorCause.SessionContextNotFound, detail: "no live session, NAS or recent login matches" };
};
