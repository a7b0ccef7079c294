import { sessionIdentity } from "../coa/session-identity";
import { Attr } from "../radius/constants";
import type { TRadiusRequest } from "../radius/request-schema";
import type { TSecondFactorRequest } from "../second-factor/types";

// What the NAS says about which of its sessions an Access-Request belongs to, for telling one login of a user from
// another (lib/push/push-login-key.ts). Acct-Session-Id and Cisco's audit-session-id as accounting reads them;
// packetId is what a retransmit repeats, so a request with nothing else is still found again by its own retransmit.
export const readLoginSession = (request: TRadiusRequest): NonNullable<TSecondFactorRequest["session"]> => {
  const { acctSessionId, auditSessionId } = sessionIdentity(request.attributes);
  const port = request.attributes.find((attr) => attr.type === Attr.NasPort)?.value;
  return {
    nasIdentifier: request.nasIdentifier,
    nasPort: port?.length === 4 ? String(port.readUInt32BE(0)) : undefined,
    acctSessionId,
    auditSessionId,
    packetId: `${request.identifier}:${request.authenticator.toString("hex")}`,
  };
};
