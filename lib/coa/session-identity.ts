import { z } from "zod";
import { ciscoAvpairs } from "../acl-download/cisco-avpairs";
import type { TRadiusAttribute } from "../primary-auth/types";
import { Attr } from "../radius/constants";
import { decodeNasBytes } from "../radius/decode-nas-bytes";

// What names a NAS session in accounting and in RFC 5176 requests (§3: session identification attributes), plus the
// NAS's own NAS-IP-Address. Text fields are bounded: they come from the network.
const text = z.string().min(1).max(253).optional();
// Built once: a zod schema costs far more to construct than to run, and this runs for every Access-Request.
const ipv4 = z.ipv4().optional();
export const ZSessionIdentitySchema = z.object({
  userName: text,
  acctSessionId: text,
  framedIp: ipv4,
  callingStationId: text,
  nasIp: ipv4,
  auditSessionId: text, // Cisco-AVPair "audit-session-id=…", the id ISE knows the session by
});
export type TSessionIdentity = z.infer<typeof ZSessionIdentitySchema>;

const first = (attributes: readonly TRadiusAttribute[], type: number) => attributes.find((attr) => attr.type === type)?.value;
const asText = (value: Buffer | undefined) => (value && value.length > 0 ? decodeNasBytes(value) : undefined);
const asIpv4 = (value: Buffer | undefined) => (value?.length === 4 ? Array.from(value).join(".") : undefined);

// A field that fails validation is left out (it then matches nothing), never guessed at.
const keep = <T>(schema: z.ZodType<T>, value: unknown): T | undefined => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

export const sessionIdentity = (attributes: readonly TRadiusAttribute[]): TSessionIdentity => {
  const audit = ciscoAvpairs(attributes).find((pair) => pair.startsWith("audit-session-id="));
  return {
    userName: keep(text, asText(first(attributes, Attr.UserName))),
    acctSessionId: keep(text, asText(first(attributes, Attr.AcctSessionId))),
    framedIp: keep(ipv4, asIpv4(first(attributes, Attr.FramedIpAddress))),
    callingStationId: keep(text, asText(first(attributes, Attr.CallingStationId))),
    nasIp: keep(ipv4, asIpv4(first(attributes, Attr.NasIpAddress))),
    auditSessionId: keep(text, audit?.slice("audit-session-id=".length)),
  };
};
