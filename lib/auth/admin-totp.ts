import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

const totpFor = (options: { secret: string; label?: string }) =>
  new TOTP({ issuer: "Twofold", label: options.label ?? "admin", algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(options.secret) });

export const generateAdminTotpSecret = (): string => new Secret({ size: 20 }).base32;

// One step either side tolerates clock skew between the phone and the server.
export const verifyAdminTotp = (options: { secret: string; code: string }): boolean => {
  const code = options.code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(code)) return false;
  return totpFor({ secret: options.secret }).validate({ token: code, window: 1 }) !== null;
};

export const adminTotpProvisioning = async (options: { secret: string; email: string }): Promise<{ uri: string; qrSvg: string }> => {
  const uri = totpFor({ secret: options.secret, label: options.email }).toString();
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { uri, qrSvg };
};
