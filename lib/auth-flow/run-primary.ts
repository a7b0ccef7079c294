import type { TSnapshotApplication } from "../config/snapshot-schema";
import { splitAppendedFactor } from "../policy/split-appended-factor";
import type { TPrimaryResult } from "../primary-auth/types";
import type { TEapRequest } from "../radius/eap/read-eap-request";
import type { TMschapRequest } from "../radius/mschap/read-mschap-request";
import type { TRadiusRequest } from "../radius/request-schema";
import type { TPrimaryDispatch } from "./flow-types";

export type TPrimaryStep = { primary: TPrimaryResult; appended?: string; ms: number };

// Primary authentication with the append-mode split: "password,123456" is tried as "password" + factor, and only a
// reject of that split retries the whole string (a password may itself end in ",123456"). MS-CHAPv2 carries no
// password to split or to check here: only an upstream RADIUS server holding the password can answer it.
export const runPrimary = async (options: {
  application: TSnapshotApplication;
  request: TRadiusRequest;
  username: string; // normalized typed name: what LDAP searches and local users are found by
  usernameRaw: string; // what upstream RADIUS gets, as the NAS sent it
  upstreamState?: Buffer; // answering a relayed upstream challenge
  mschap?: TMschapRequest; // the request is MS-CHAPv2 (lib/radius/mschap/read-mschap-request.ts)
  mschapServerId?: string; // a password change: the upstream server that said E=648
  eap?: TEapRequest; // the request carries EAP (802.1X): relayed to the upstream that terminates it
  eapServerId?: string; // a later round of one EAP conversation: the server that holds it
  primary: TPrimaryDispatch;
}): Promise<TPrimaryStep | { missingPassword: true } | { mschapUnsupported: string } | { eapUnsupported: string }> => {
  const { application, request, upstreamState, mschap, eap } = options;
  if (mschap && application.primaryAuthMode !== "radius") {
    return { mschapUnsupported: `MS-CHAPv2 needs an upstream RADIUS primary (this application's is ${application.primaryAuthMode}): set "no mschapv2-capable" on the ASA` };
  }
  // Only a server that terminates the TLS tunnel can run PEAP/TTLS; "none" would accept whoever starts one.
  if (eap && application.primaryAuthMode !== "radius") {
    return { eapUnsupported: `EAP needs an upstream RADIUS primary that terminates it (ISE, NPS, FreeRADIUS); this application's is ${application.primaryAuthMode}` };
  }
  if (application.primaryAuthMode === "none") return { primary: { outcome: "accept", attributes: [], groups: [], ms: 0 }, ms: 0 };
  if (!request.password && !mschap && !eap) return { missingPassword: true };
  const password = request.password ?? Buffer.alloc(0);
  const candidates =
    application.factorEntry !== "challenge" && !upstreamState && !mschap && !eap ? splitAppendedFactor({ password, delimiter: application.appendDelimiter }) : [{ password }];
  const started = performance.now();
  let result: TPrimaryStep | undefined;
  for (const [index, candidate] of candidates.entries()) {
    const primary = await options.primary({
      application,
      request: {
        username: options.username,
        usernameRaw: options.usernameRaw,
        password: candidate.password,
        nasIp: request.nasIp,
        nasIdentifier: request.nasIdentifier,
        callingStationId: request.callingStationId,
        calledStationId: request.calledStationId,
        forwardAttributes: request.attributes, // ISE/NPS policies match on them; the per-hop ones are filtered out upstream
        upstreamState,
        ...(mschap ? { mschap: { attributes: mschap.relay, serverId: options.mschapServerId } } : {}),
        ...(eap ? { eap: { attributes: eap.relay, serverId: options.eapServerId } } : {}),
      },
    });
    result = { primary, appended: "appended" in candidate ? candidate.appended : undefined, ms: 0 };
    if (primary.outcome !== "reject" || index === candidates.length - 1) break;
  }
  return { ...result!, ms: Math.round(performance.now() - started) };
};
