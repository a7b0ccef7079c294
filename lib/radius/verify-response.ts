import { hmacMessageAuthenticator, md5Authenticator, safeEqual } from "./authenticators";
import { RadiusCode } from "./constants";
import { parsePacket, type TRawPacket } from "./parse-packet";

export type TVerifyResponse = { ok: true; packet: TRawPacket } | { ok: false; detail: string };

// A reply from an upstream server: Response Authenticator always, Message-Authenticator when present (or when the
// caller requires one) computed with our request authenticator in place.
export const verifyResponse = (options: { response: Buffer; requestAuthenticator: Buffer; secret: Buffer; requireMessageAuthenticator: boolean }): TVerifyResponse => {
  const parsed = parsePacket(options.response);
  if (!parsed.ok) return { ok: false, detail: `${parsed.reason}: ${parsed.detail}` };
  const { packet } = parsed;
  if (!safeEqual(md5Authenticator(packet.raw, options.requestAuthenticator, options.secret), packet.authenticator)) {
    return { ok: false, detail: "Response Authenticator mismatch (wrong upstream secret?)" };
  }
  const maOffset = packet.messageAuthenticatorOffset;
  if (maOffset === undefined) {
    return options.requireMessageAuthenticator ? { ok: false, detail: "reply has no Message-Authenticator" } : { ok: true, packet };
  }
  const withRequestAuth = Buffer.from(packet.raw);
  // Accounting-Response MA is computed over a zero authenticator (FreeRADIUS), Access-* over the request's.
  if (packet.code === RadiusCode.AccountingResponse) withRequestAuth.fill(0, 4, 20);
  else options.requestAuthenticator.copy(withRequestAuth, 4);
  if (!safeEqual(hmacMessageAuthenticator(withRequestAuth, maOffset, options.secret), packet.raw.subarray(maOffset, maOffset + 16))) {
    return { ok: false, detail: "reply Message-Authenticator mismatch" };
  }
  return { ok: true, packet };
};
