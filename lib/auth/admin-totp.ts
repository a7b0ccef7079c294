import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

const PERIOD_SEC = 30;

const totpFor = (options: { secret: string; label?: string }) =>
  new TOTP({ issuer: "Twofold", label: options.label ?? "admin", algorithm: "SHA1", digits: 6, period: PERIOD_SEC, secret: Secret.fromBase32(options.secret) });

export const generateAdminTotpSecret = (): string => new Secret({ size: 20 }).base32;

// The time step whose code this is, or undefined. One step either side tolerates clock skew between the phone and the
// server. Pure: whether the step is still unused is decided by claimAdminTotpStep, in the transaction that grants.
export const verifyAdminTotp = (options: { secret: string; code: string; now?: Date }): number | undefined => {
  const code = options.code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(code)) return undefined;
  const timestamp = (options.now ?? new Date()).getTime();
  const delta = totpFor({ secret: options.secret }).validate({ token: code, timestamp, window: 1 });
  return delta === null ? undefined : TOTP.counter({ period: PERIOD_SEC, timestamp }) + delta;
};

export const adminTotpProvisioning = async (options: { secret: string; email: string }): Promise<{ uri: string; qrSvg: string }> => {
  const uri = totpFor({ secret: options.secret, label: options.email }).toString();
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { uri, qrSvg };
};
