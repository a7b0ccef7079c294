import { webcrypto } from "node:crypto";
import { pushDecisionMessage, type TDeviceJwk, type TPushDecision } from "./push-schemas";

export type TTestDevice = {
  publicKeyJwk: TDeviceJwk;
  sign: (message: string) => Promise<string>;
  signDecision: (options: { requestId: string; decision: TPushDecision; number?: string | null }) => Promise<string>;
};

// A phone's key pair made exactly as the authenticator page makes it (WebCrypto ECDSA P-256, private key not
// extractable): tests and the benchmark sign real decisions with it.
export const createTestDevice = async (): Promise<TTestDevice> => {
  const pair = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const jwk = await webcrypto.subtle.exportKey("jwk", pair.publicKey);
  const sign = async (message: string) =>
    Buffer.from(await webcrypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, new TextEncoder().encode(message))).toString("base64url");
  return {
    publicKeyJwk: { kty: "EC", crv: "P-256", x: jwk.x ?? "", y: jwk.y ?? "" },
    sign,
    signDecision: (options) => sign(pushDecisionMessage(options)),
  };
};
