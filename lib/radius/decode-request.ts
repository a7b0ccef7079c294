import { decodeNasBytes } from "./decode-nas-bytes";
import { Attr } from "./constants";
import { attributeName } from "./dictionary";
import type { TDropReason, TRawPacket } from "./parse-packet";
import { decryptPassword } from "./password";
import type { TSecretInput } from "./radius-secret";
import { ZRadiusRequestFieldsSchema, type TRadiusRequest } from "./request-schema";

export type TDecodeResult = { ok: true; request: TRadiusRequest } | { ok: false; reason: TDropReason; detail: string };

const first = (packet: TRawPacket, type: number): Buffer | undefined => packet.attributes.find((attr) => attr.type === type)?.value;
// Lossless: a byte that is not UTF-8 survives as decodeNasBytes carries it, so the log can say what was sent.
const text = (value: Buffer | undefined): string | undefined => (value === undefined ? undefined : decodeNasBytes(value));

// Turns a verified raw packet into the request shape the flow works with. Never throws: a field that fails
// validation is a drop reason, like a wrong secret.
export const decodeRequest = (options: { packet: TRawPacket; secret: TSecretInput }): TDecodeResult => {
  const { packet, secret } = options;
  const byName: Record<string, Buffer[]> = {};
  for (const attr of packet.attributes) {
    const name = attributeName(attr);
    (byName[name] ??= []).push(attr.type === Attr.VendorSpecific && attr.vendorType !== undefined ? attr.value.subarray(6) : attr.value);
  }
  let password: Buffer | undefined;
  const hidden = first(packet, Attr.UserPassword);
  if (hidden) {
    const decoded = decryptPassword({ value: hidden, secret, authenticator: packet.authenticator });
    if (!decoded.ok) return { ok: false, reason: "bad_password", detail: decoded.detail };
    password = decoded.password;
  }
  const nasIpBytes = first(packet, Attr.NasIpAddress);
  const statusType = first(packet, Attr.AcctStatusType);
  const userNameBytes = first(packet, Attr.UserName);
  const maOffset = packet.messageAuthenticatorOffset;
  const candidate = {
    code: packet.code,
    identifier: packet.identifier,
    authenticator: packet.authenticator,
    userName: text(userNameBytes),
    userNameBytes,
    password,
    nasIp: nasIpBytes?.length === 4 ? Array.from(nasIpBytes).join(".") : undefined,
    nasIdentifier: text(first(packet, Attr.NasIdentifier)),
    callingStationId: text(first(packet, Attr.CallingStationId)),
    calledStationId: text(first(packet, Attr.CalledStationId)),
    state: first(packet, Attr.State),
    proxyStates: packet.attributes.filter((attr) => attr.type === Attr.ProxyState).map((attr) => attr.value),
    messageAuthenticator: maOffset === undefined ? undefined : packet.raw.subarray(maOffset, maOffset + 16),
    acctStatusType: statusType?.length === 4 ? statusType.readUInt32BE(0) : undefined,
    acctSessionId: text(first(packet, Attr.AcctSessionId)),
  };
  const parsed = ZRadiusRequestFieldsSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, reason: "bad_attributes", detail: parsed.error.issues.map((issue) => issue.path.join(".")).join(", ") };
  return { ok: true, request: { ...parsed.data, attributes: packet.attributes, byName } };
};
