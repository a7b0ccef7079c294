import type { TRadiusAttribute } from "../../primary-auth/types";
import { Attr } from "../constants";

// EAP codes (RFC 3748 §4): a NAS relays Responses; Requests, Success and Failure come from the server.
export const EapCode = { Request: 1, Response: 2, Success: 3, Failure: 4 } as const;

export type TEapRequest = { relay: TRadiusAttribute[]; identifier: number; eapCode: number; eapType?: number };
export type TReadEapRequest = { ok: true; eap: TEapRequest } | { ok: false; detail: string };

// The EAP packet an 802.1X NAS carries in one or more EAP-Message attributes (RFC 3579 §3.1), relayed upstream
// byte for byte. Only its framing is checked here: the conversation itself (PEAP, TTLS, their TLS) is the upstream's.
// undefined: not EAP.
export const readEapRequest = (attributes: readonly TRadiusAttribute[]): TReadEapRequest | undefined => {
  const relay = attributes.filter((attr) => attr.type === Attr.EapMessage);
  if (relay.length === 0) return undefined;
  const packet = Buffer.concat(relay.map((attr) => attr.value));
  if (packet.length < 4) return { ok: false, detail: `EAP-Message of ${packet.length} bytes` };
  const length = packet.readUInt16BE(2);
  if (length !== packet.length) return { ok: false, detail: `EAP length ${length} but ${packet.length} bytes in EAP-Message` };
  const eapCode = packet[0]!;
  if (eapCode !== EapCode.Response) return { ok: false, detail: `EAP code ${eapCode} from a NAS (only Response is relayed)` };
  if (length < 5) return { ok: false, detail: "EAP-Response without a type" };
  return { ok: true, eap: { relay, identifier: packet[1]!, eapCode, eapType: packet[4] } };
};

// EAP-Failure for a login Twofold refuses itself (after the upstream's Success, or before asking it): the identifier is
// the last Response's, as the authenticator's Success or Failure carries it (RFC 3748 §4.2).
export const eapFailureAttribute = (identifier: number): TRadiusAttribute => ({ type: Attr.EapMessage, value: Buffer.from([EapCode.Failure, identifier & 0xff, 0, 4]) });
