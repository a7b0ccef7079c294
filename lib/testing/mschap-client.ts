import { randomBytes } from "node:crypto";
import type { TRadiusAttribute } from "../primary-auth/types";
import { vendorAttribute } from "../radius/attributes";
import { desEncrypt } from "../radius/mschap/des-encrypt";
import { MICROSOFT_VENDOR, MsAttr } from "../radius/mschap/microsoft-attributes";
import { deriveServerMppeKeys, type TMppeKeys } from "../radius/mschap/mppe-keys";
import { generateAuthenticatorResponse, generateNtResponse, ntPasswordHash } from "../radius/mschap/nt-response";
import { rc4 } from "../radius/mschap/rc4";

// The ASA's side of MS-CHAPv2 (`mschapv2-capable`), for tests and the benchmark: the attributes it sends for a
// password, and what a correct answer must carry (the S= of MS-CHAP2-Success, the MPPE keys of RFC 3079).
export type TMschapAttempt = { attributes: TRadiusAttribute[]; ident: number; expectedSuccess: string; expectedKeys: TMppeKeys };

const exchangeFor = (userName: string) => ({ authenticatorChallenge: randomBytes(16), peerChallenge: randomBytes(16), userName: Buffer.from(userName, "utf8") });

const expected = (exchange: ReturnType<typeof exchangeFor>, password: string, ntResponse: Buffer) => {
  const passwordHash = ntPasswordHash(password);
  return {
    expectedSuccess: generateAuthenticatorResponse({ ...exchange, passwordHash, ntResponse }),
    expectedKeys: deriveServerMppeKeys({ passwordHash, ntResponse }),
  };
};

export const mschapV2Attributes = (options: { userName: string; password: string; ident?: number }): TMschapAttempt => {
  const exchange = exchangeFor(options.userName);
  const ident = options.ident ?? randomBytes(1)[0]!;
  const ntResponse = generateNtResponse({ ...exchange, passwordHash: ntPasswordHash(options.password) });
  const response = Buffer.concat([Buffer.from([ident, 0]), exchange.peerChallenge, Buffer.alloc(8), ntResponse]);
  return {
    attributes: [vendorAttribute(MICROSOFT_VENDOR, MsAttr.ChapChallenge, exchange.authenticatorChallenge), vendorAttribute(MICROSOFT_VENDOR, MsAttr.Chap2Response, response)],
    ident,
    ...expected(exchange, options.password, ntResponse),
  };
};

// RFC 2759 §8.9-8.12 and RFC 2548 §2.3.4, §2.3.5: the change request after E=648. The new password travels RC4-hidden
// under the old password's hash in three MS-CHAP-NT-Enc-PW chunks; the NT-Response is over the new password.
export const mschapV2ChangePasswordAttributes = (options: { userName: string; oldPassword: string; newPassword: string; ident?: number }): TMschapAttempt => {
  const exchange = exchangeFor(options.userName);
  const ident = options.ident ?? randomBytes(1)[0]!;
  const [oldHash, newHash] = [ntPasswordHash(options.oldPassword), ntPasswordHash(options.newPassword)];
  const unicode = Buffer.from(options.newPassword, "utf16le");
  const block = Buffer.concat([randomBytes(512 - unicode.length), unicode, Buffer.alloc(4)]);
  block.writeUInt32LE(unicode.length, 512);
  const encryptedPassword = rc4({ key: oldHash, data: block });
  const encryptedHash = Buffer.concat([desEncrypt({ key7: newHash.subarray(0, 7), block: oldHash.subarray(0, 8) }), desEncrypt({ key7: newHash.subarray(7, 14), block: oldHash.subarray(8, 16) })]);
  const ntResponse = generateNtResponse({ ...exchange, passwordHash: newHash });
  const cpw = Buffer.concat([Buffer.from([7, ident]), encryptedHash, exchange.peerChallenge, Buffer.alloc(8), ntResponse, Buffer.alloc(2)]);
  const chunks = [encryptedPassword.subarray(0, 243), encryptedPassword.subarray(243, 486), encryptedPassword.subarray(486)];
  const encPw = chunks.map((chunk, index) => vendorAttribute(MICROSOFT_VENDOR, MsAttr.ChapNtEncPw, Buffer.concat([Buffer.from([6, ident, 0, index + 1]), chunk])));
  return {
    attributes: [vendorAttribute(MICROSOFT_VENDOR, MsAttr.ChapChallenge, exchange.authenticatorChallenge), vendorAttribute(MICROSOFT_VENDOR, MsAttr.Chap2Cpw, cpw), ...encPw],
    ident,
    ...expected(exchange, options.newPassword, ntResponse),
  };
};

// The value of the first vendor-311 sub-attribute of that type in a reply.
export const microsoftValue = (attributes: readonly TRadiusAttribute[], type: number): Buffer | undefined =>
  attributes.find((attr) => attr.vendorId === MICROSOFT_VENDOR && attr.vendorType === type)?.value.subarray(6);
