// http_ece (web-push's own dependency) ships no types; only what the payload test uses.
declare module "http_ece" {
  import type { ECDH } from "node:crypto";
  const ece: { decrypt: (buffer: Buffer, params: { version: "aes128gcm"; privateKey: ECDH; authSecret: string }) => Buffer };
  export default ece;
}
