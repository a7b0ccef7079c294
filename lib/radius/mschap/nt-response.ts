import { createHash } from "node:crypto";
import { desEncrypt } from "./des-encrypt";
import { md4 } from "./md4";

// RFC 2759 §8: the MS-CHAPv2 computations, as the peer (the ASA) and the authenticator (ISE/NPS, or Twofold checking
// a passcode round) each make them. Passwords are Unicode: UTF-16LE before MD4.

export const ntPasswordHash = (password: string): Buffer => md4(Buffer.from(password, "utf16le"));

// §8.2: the user name without any domain prefix ("CORP\alice" → "alice"), as the peer hashed it.
export const mschapUserName = (userName: Buffer): Buffer => {
  const at = userName.lastIndexOf(0x5c);
  return at < 0 ? userName : userName.subarray(at + 1);
};

export const challengeHash = (options: { peerChallenge: Buffer; authenticatorChallenge: Buffer; userName: Buffer }): Buffer =>
  createHash("sha1").update(options.peerChallenge).update(options.authenticatorChallenge).update(mschapUserName(options.userName)).digest().subarray(0, 8);

// §8.5: the 16-byte hash, zero-padded to 21, is three DES keys over the 8-byte challenge.
export const challengeResponse = (options: { challenge: Buffer; passwordHash: Buffer }): Buffer => {
  const z = Buffer.alloc(21);
  options.passwordHash.copy(z);
  return Buffer.concat([0, 7, 14].map((at) => desEncrypt({ key7: z.subarray(at, at + 7), block: options.challenge })));
};

export type TMschapV2Exchange = { authenticatorChallenge: Buffer; peerChallenge: Buffer; userName: Buffer };

export const generateNtResponse = (options: TMschapV2Exchange & { passwordHash: Buffer }): Buffer =>
  challengeResponse({ challenge: challengeHash(options), passwordHash: options.passwordHash });

const MAGIC1 = Buffer.from("Magic server to client signing constant");
const MAGIC2 = Buffer.from("Pad to make it do more than one iteration");

// §8.7: the "S=<40 hex>" the authenticator returns in MS-CHAP2-Success, proving it knew the password too.
export const generateAuthenticatorResponse = (options: TMschapV2Exchange & { passwordHash: Buffer; ntResponse: Buffer }): string => {
  const digest = createHash("sha1").update(md4(options.passwordHash)).update(options.ntResponse).update(MAGIC1).digest();
  const final = createHash("sha1").update(digest).update(challengeHash(options)).update(MAGIC2).digest();
  return `S=${final.toString("hex").toUpperCase()}`;
};
