import type { TRadiusAttribute } from "../../primary-auth/types";
import { Attr } from "../constants";
import { MsAttr, microsoftSubAttributes } from "../mschap/microsoft-attributes";

const CHAP_PASSWORD = 3;
const CHAP_CHALLENGE = 60;

// Per hop (RFC 2865 §5.33, RFC 3579 §3.2): Message-Authenticator is signed for this hop's secret, Proxy-State belongs
// to the NAS's hop, State is the NAS's copy of Twofold's own (the upstream's is swapped in by the caller).
// Credentials are the caller's to send: User-Password is hidden with the NAS's secret and authenticator and must be
// re-hidden; MS-CHAP and EAP are relayed by their own paths, which know when and to whom; CHAP is bound to the NAS's
// authenticator and never relayed.
const NOT_FORWARDED = new Set<number>([Attr.MessageAuthenticator, Attr.ProxyState, Attr.State, Attr.UserPassword, CHAP_PASSWORD, CHAP_CHALLENGE, Attr.EapMessage]);
const MSCHAP_CREDENTIALS = new Set<number>([MsAttr.ChapChallenge, MsAttr.Chap1Response, MsAttr.Chap2Response, MsAttr.Chap2Cpw, MsAttr.ChapNtEncPw, MsAttr.ChapLmEncPw]);

// What of the NAS's Access-Request goes to the upstream as the NAS sent it, byte for byte and in order: everything ISE
// or NPS policies match on (NAS-Port-Type, Service-Type, NAS-Port, Framed-MTU, the ASA's Tunnel-Group-Name, Cisco-AVPair
// audit-session-id, ...). Every path that builds an upstream request from a NAS's request uses this one filter.
export const forwardableAttributes = (options: { attributes: readonly TRadiusAttribute[] }): TRadiusAttribute[] => {
  const mschapCarriers = new Set(
    microsoftSubAttributes(options.attributes)
      .filter((sub) => MSCHAP_CREDENTIALS.has(sub.type))
      .map((sub) => sub.carrier),
  );
  return options.attributes.filter((attr) => !NOT_FORWARDED.has(attr.type) && !mschapCarriers.has(attr));
};
