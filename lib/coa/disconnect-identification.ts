import type { TRadiusAttribute } from "../primary-auth/types";
import { bytesAttribute, textAttributes, vendorAttribute } from "../radius/attributes";
import { Attr } from "../radius/constants";

export type TDisconnectSession = { username: string; acctSessionId: string; framedIp: string | null; callingStationId: string | null; nasIp: string | null; auditSessionId: string | null };

const ipv4 = (text: string | null) => (text && /^\d+\.\d+\.\d+\.\d+$/.test(text) ? Buffer.from(text.split(".").map(Number)) : undefined);

// Identification as RFC 5176 §3 wants it: the session's own id and every attribute the NAS reported for it.
export const disconnectIdentification = (session: TDisconnectSession): TRadiusAttribute[] => {
  const attributes = [...textAttributes(Attr.UserName, session.username).slice(0, 1), ...textAttributes(Attr.AcctSessionId, session.acctSessionId).slice(0, 1)];
  const framed = ipv4(session.framedIp);
  if (framed) attributes.push(bytesAttribute(Attr.FramedIpAddress, framed));
  if (session.callingStationId) attributes.push(...textAttributes(Attr.CallingStationId, session.callingStationId).slice(0, 1));
  const nasIp = ipv4(session.nasIp);
  if (nasIp) attributes.push(bytesAttribute(Attr.NasIpAddress, nasIp));
  if (session.auditSessionId) attributes.push(vendorAttribute(9, 1, Buffer.from(`audit-session-id=${session.auditSessionId}`)));
  return attributes.filter((attr) => attr.value.length > 0);
};
