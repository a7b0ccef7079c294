import { createPublicKey, verify } from "node:crypto";
import { ZDeviceJwkSchema } from "./push-schemas";

export type TVerifyDeviceSignatureOptions = { publicKeyJwk: string; message: string; signature: string };

// WebCrypto's ECDSA signatures are raw r||s (IEEE P1363), base64url here; node verifies them with that encoding.
// Total: a malformed key or signature is simply "not valid".
export const verifyDeviceSignature = ({ publicKeyJwk, message, signature }: TVerifyDeviceSignatureOptions): boolean => {
  try {
    const jwk = ZDeviceJwkSchema.parse(JSON.parse(publicKeyJwk));
    const key = createPublicKey({ key: jwk, format: "jwk" });
    return verify("sha256", Buffer.from(message, "utf8"), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
  } catch {
    return false;
  }
};
