import { createCipheriv } from "node:crypto";

// RFC 2759 §8.6 DesEncrypt: one 8-byte block under a 7-byte key (56 key bits spread over 8 bytes, parity ignored).
// OpenSSL 3 keeps single DES in its legacy provider; two-key triple DES with K1 = K2 is E(D(E(x))) = E(x), single DES.
export const desEncrypt = (options: { key7: Buffer; block: Buffer }): Buffer => {
  const k = options.key7;
  const byte = (i: number) => k[i] ?? 0;
  const key = Buffer.from([
    byte(0) >> 1,
    ((byte(0) & 0x01) << 6) | (byte(1) >> 2),
    ((byte(1) & 0x03) << 5) | (byte(2) >> 3),
    ((byte(2) & 0x07) << 4) | (byte(3) >> 4),
    ((byte(3) & 0x0f) << 3) | (byte(4) >> 5),
    ((byte(4) & 0x1f) << 2) | (byte(5) >> 6),
    ((byte(5) & 0x3f) << 1) | (byte(6) >> 7),
    byte(6) & 0x7f,
  ].map((bits) => (bits << 1) & 0xff));
  const cipher = createCipheriv("des-ede-ecb", Buffer.concat([key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(options.block), cipher.final()]);
};
