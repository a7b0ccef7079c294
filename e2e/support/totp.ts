import { Secret, TOTP } from "otpauth";

export const totpNow = (secret: string): string =>
  new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate();
