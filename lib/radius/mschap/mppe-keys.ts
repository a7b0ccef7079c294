import { createHash } from "node:crypto";
import { md4 } from "./md4";

// RFC 3079 §3.4 (128-bit keys): the session keys an MS-CHAPv2 authenticator derives from the password hash and the
// peer's NT-Response, as RADIUS servers put them in MS-MPPE-Send-Key / MS-MPPE-Recv-Key (the server's side: its
// send key is the peer's receive key).
const MAGIC1 = Buffer.from("This is the MPPE Master Key");
const MAGIC2 = Buffer.from("On the client side, this is the send key; on the server side, it is the receive key.");
const MAGIC3 = Buffer.from("On the client side, this is the receive key; on the server side, it is the send key.");
const PAD1 = Buffer.alloc(40, 0x00);
const PAD2 = Buffer.alloc(40, 0xf2);

export const mppeMasterKey = (options: { passwordHash: Buffer; ntResponse: Buffer }): Buffer =>
  createHash("sha1").update(md4(options.passwordHash)).update(options.ntResponse).update(MAGIC1).digest().subarray(0, 16);

const startKey = (masterKey: Buffer, magic: Buffer) => createHash("sha1").update(masterKey).update(PAD1).update(magic).update(PAD2).digest().subarray(0, 16);

export type TMppeKeys = { sendKey: Buffer; recvKey: Buffer };

export const deriveServerMppeKeys = (options: { passwordHash: Buffer; ntResponse: Buffer }): TMppeKeys => {
  const master = mppeMasterKey(options);
  return { sendKey: startKey(master, MAGIC3), recvKey: startKey(master, MAGIC2) };
};
