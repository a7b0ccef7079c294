import { Attr, COMPUTED_AUTHENTICATOR_CODES, RadiusCode } from "./constants";
import { hmacMessageAuthenticator, md5Authenticator, safeEqual, ZERO_AUTHENTICATOR } from "./authenticators";
import type { TDropReason, TRawPacket } from "./parse-packet";
import type { TSecretInput } from "./radius-secret";

export type TVerifyResult = { ok: true } | { ok: false; reason: TDropReason; detail: string };

// Checks what proves the sender knows the client's secret: Message-Authenticator (timing-safe) and, for accounting,
// the Request Authenticator. Status-Server always needs a Message-Authenticator (RFC 5997 §3).
export const verifyRequest = (options: { packet: TRawPacket; secret: TSecretInput; requireMessageAuthenticator: boolean }): TVerifyResult => {
  const { packet, secret } = options;
  // Accounting-Request, and CoA/Disconnect-Request (RFC 5176 §2.3): the same computed Request Authenticator.
  const isAccounting = COMPUTED_AUTHENTICATOR_CODES.has(packet.code);
  const maOffset = packet.messageAuthenticatorOffset;
  if (maOffset === undefined) {
    // EAP-Message without Message-Authenticator is silently discarded whatever the client's setting (RFC 3579 §3.2).
    const eap = packet.attributes.some((attr) => attr.type === Attr.EapMessage);
    const required = packet.code === RadiusCode.StatusServer || (packet.code === RadiusCode.AccessRequest && (options.requireMessageAuthenticator || eap));
    if (required) return { ok: false, reason: "missing_message_authenticator", detail: "request has no Message-Authenticator" };
  } else {
    const expected = hmacMessageAuthenticator(packet.raw, maOffset, secret, isAccounting ? ZERO_AUTHENTICATOR : undefined);
    if (!safeEqual(expected, packet.raw.subarray(maOffset, maOffset + 16))) {
      return { ok: false, reason: "bad_message_authenticator", detail: "Message-Authenticator mismatch (wrong shared secret?)" };
    }
  }
  if (isAccounting) {
    const expected = md5Authenticator(packet.raw, ZERO_AUTHENTICATOR, secret);
    if (!safeEqual(expected, packet.authenticator)) return { ok: false, reason: "bad_authenticator", detail: "Accounting Request Authenticator mismatch" };
  }
  return { ok: true };
};

export const hasAttribute = (packet: TRawPacket, type: number): boolean => packet.attributes.some((attr) => attr.type === type);
export const USER_PASSWORD = Attr.UserPassword;
