import { hmacMessageAuthenticator, md5Authenticator, safeEqual, ZERO_AUTHENTICATOR } from "./authenticators";
import { Attr, RadiusCode } from "./constants";
import { parsePacket, type TRawPacket } from "./parse-packet";
import type { TSecretInput } from "./radius-secret";

export type TVerifyResponse = { ok: true; packet: TRawPacket } | { ok: false; detail: string };

// A reply from an upstream server: Response Authenticator always, Message-Authenticator when present (or when the
// caller requires one) computed with our request authenticator in place. A reply carrying EAP-Message must have one
// whatever the caller says (RFC 3579 §3.2): without it an EAP-Success or an MSK-bearing Accept rests on the Response
// Authenticator's MD5 alone, which a man in the middle can forge (BlastRADIUS, CVE-2024-3596).
export const verifyResponse = (options: { response: Buffer; requestAuthenticator: Buffer; secret: TSecretInput; requireMessageAuthenticator: boolean }): TVerifyResponse => {
  const parsed = parsePacket(options.response);
  if (!parsed.ok) return { ok: false, detail: `${parsed.reason}: ${parsed.detail}` };
  const { packet } = parsed;
  if (!safeEqual(md5Authenticator(packet.raw, options.requestAuthenticator, options.secret), packet.authenticator)) {
    return { ok: false, detail: "Response Authenticator mismatch (wrong upstream secret?)" };
  }
  const maOffset = packet.messageAuthenticatorOffset;
  if (maOffset === undefined) {
    if (packet.attributes.some((attr) => attr.type === Attr.EapMessage)) return { ok: false, detail: "reply carries EAP-Message without Message-Authenticator (RFC 3579 §3.2)" };
    return options.requireMessageAuthenticator ? { ok: false, detail: "reply has no Message-Authenticator" } : { ok: true, packet };
  }
  // Accounting-Response MA is computed over a zero authenticator (FreeRADIUS), Access-* over the request's.
  const authenticatorField = packet.code === RadiusCode.AccountingResponse ? ZERO_AUTHENTICATOR : options.requestAuthenticator;
  if (!safeEqual(hmacMessageAuthenticator(packet.raw, maOffset, options.secret, authenticatorField), packet.raw.subarray(maOffset, maOffset + 16))) {
    return { ok: false, detail: "reply Message-Authenticator mismatch" };
  }
  return { ok: true, packet };
};
