import { createHash, randomUUID } from "node:crypto";

// What a push is created for. Everything but the user and application comes from the request as the NAS sent it.
export type TPushLogin = {
  userId: string;
  applicationId: string;
  radiusClientId?: string; // the configured RADIUS client (the application, for the Duo API)
  nasIp?: string; // NAS-IP-Address, else the NAS's UDP source
  nasIdentifier?: string;
  nasPort?: string;
  callingStationId?: string; // the user's address or MAC (the Duo API's ipaddr)
  acctSessionId?: string;
  auditSessionId?: string; // Cisco-AVPair audit-session-id
  packetId?: string; // Identifier and Request Authenticator: what a retransmit repeats byte for byte
};

// sessionBound: the key holds a per-session id from the NAS (Acct-Session-Id, Cisco's audit-session-id). Without one
// two people signing in as one user through one NAS share everything else, so the key is then the packet itself:
// only a retransmit of this very request finds the push again. An address (Calling-Station-Id, the Duo API's ipaddr)
// is never a session: two logins behind one NAT or jump host share it.
export type TPushLoginKey = { key: string; sessionBound: boolean };

const present = (value: string | undefined): boolean => value !== undefined && value.trim() !== "";

// One push per login, and one login per push: a retransmit, or the ASA failing the same login over to another
// worker, carries the same NAS, client and session attributes and attaches; another login does not, or a single
// approval on the phone would let both in. The Calling-Station-Id narrows the key (another address is another login)
// but never makes one on its own. Hashed: the parts are the NAS's bytes (any length, any character) and only
// equality matters; JSON keeps the parts apart and escapes lone surrogates (bytes that were not UTF-8).
export const pushLoginKey = (login: TPushLogin): TPushLoginKey => {
  const sessionBound = [login.acctSessionId, login.auditSessionId].some(present);
  const where = [login.userId, login.applicationId, login.radiusClientId ?? "", login.nasIp ?? "", login.nasIdentifier ?? "", login.nasPort ?? "", login.callingStationId ?? ""];
  const which = sessionBound
    ? ["session", login.acctSessionId ?? "", login.auditSessionId ?? ""]
    : login.packetId
      ? ["packet", login.packetId]
      : ["once", randomUUID()]; // no packet either (every Duo API call, which has no retransmit): nothing repeats it
  return { key: createHash("sha256").update(JSON.stringify(["login-v3", ...where, ...which])).digest("hex"), sessionBound };
};
