import { randomBytes } from "node:crypto";
import radius from "radius";
import { describe, expect, it } from "vitest";
import { textAttributes, vendorAttribute } from "./attributes";
import { Attr, RadiusCode } from "./constants";
import { decodeRequest } from "./decode-request";
import { ensureDictionaries } from "./dictionary";
import { encodeRequest, encodeResponse } from "./encode-packet";
import { parsePacket } from "./parse-packet";
import { decryptPassword, encryptPassword } from "./password";
import { createRadiusSecret, type TSecretInput } from "./radius-secret";
import { verifyRequest } from "./verify-request";
import { verifyResponse } from "./verify-response";

ensureDictionaries();
const TEXT = "wire-secret,é";
const bytes = Buffer.from(TEXT);
const prepared = createRadiusSecret(TEXT);
const ra = Buffer.from("00112233445566778899aabbccddeeff", "hex");
const attrs = [...textAttributes(Attr.Class, "OU=Engineering;"), vendorAttribute(9, 1, Buffer.from("shell:priv-lvl=15"))];

// Bytes the codec produced before secrets were prepared (commit 186336c, raw-byte HMAC keys): the wire must not move.
const GOLDEN = {
  accept: "02070055784f6d604a4cf70471857cf3480eb7ec501216f689fc815353dee8e3bf9dfb38220219114f553d456e67696e656572696e673b1a190000000901137368656c6c3a707269762d6c766c3d31352105707331",
  acctresp: "05080026cb207c8ea0cea564052329da05290a5f50128f39a01c9d1fcd1e994b1d3a5aaefbce",
  access: "0109004f00112233445566778899aabbccddeeff501268e99dfe55b13ed499c339694a2f679a0107616c696365022290b2723b0113488f7a3c2984a00d3d0a0a73c684b9dede98d8719281fc54ba4d",
  acctreq: "040a002c82fdebfc47c12315153a4200307e4535501253742400cbffae0d8b282fa7f487479c010664617665",
};

const encodeAll = (secret: TSecretInput) => ({
  accept: encodeResponse({ code: RadiusCode.AccessAccept, identifier: 7, requestAuthenticator: ra, attributes: attrs, proxyStates: [Buffer.from("ps1")], secret }).packet.toString("hex"),
  acctresp: encodeResponse({ code: RadiusCode.AccountingResponse, identifier: 8, requestAuthenticator: ra, attributes: [], proxyStates: [], secret }).packet.toString("hex"),
  access: encodeRequest({
    code: RadiusCode.AccessRequest,
    identifier: 9,
    authenticator: ra,
    attributes: [{ type: Attr.UserName, value: Buffer.from("alice") }, { type: Attr.UserPassword, value: encryptPassword({ password: Buffer.from("pa,ss\\wörd-longer-than-16"), secret, authenticator: ra }) }],
    secret,
  }).packet.toString("hex"),
  acctreq: encodeRequest({ code: RadiusCode.AccountingRequest, identifier: 10, authenticator: ra, attributes: [{ type: Attr.UserName, value: Buffer.from("dave") }], secret }).packet.toString("hex"),
});

const parse = (packet: Buffer) => {
  const parsed = parsePacket(packet);
  if (!parsed.ok) throw new Error(parsed.detail);
  return parsed.packet;
};

describe("a prepared RADIUS secret (KeyObject for HMAC-MD5, bytes for MD5)", () => {
  it("puts exactly the bytes on the wire that raw secret bytes did", () => {
    expect(encodeAll(prepared)).toEqual(GOLDEN);
    expect(encodeAll(bytes)).toEqual(GOLDEN);
  });

  it("signs what the radius package verifies, and verifies what it signs, for random packets", () => {
    for (let i = 0; i < 200; i += 1) {
      const secretText = randomBytes(1 + (i % 40)).toString("base64");
      const secret = createRadiusSecret(secretText);
      const password = randomBytes(1 + (i % 120)).toString("hex").slice(0, 1 + (i % 120));
      const request = radius.encode({ code: "Access-Request", secret: secretText, identifier: i % 256, attributes: [["User-Name", `u${i}`], ["User-Password", password]], add_message_authenticator: true });
      const packet = parse(request);
      expect(verifyRequest({ packet, secret, requireMessageAuthenticator: true })).toEqual({ ok: true });
      const decoded = decodeRequest({ packet, secret });
      expect(decoded.ok && decoded.request.password?.toString()).toBe(password);
      const reply = encodeResponse({ code: RadiusCode.AccessAccept, identifier: packet.identifier, requestAuthenticator: packet.authenticator, attributes: attrs.slice(0, 1 + (i % 2)), proxyStates: [], secret });
      expect(reply.packet.equals(encodeResponse({ code: RadiusCode.AccessAccept, identifier: packet.identifier, requestAuthenticator: packet.authenticator, attributes: attrs.slice(0, 1 + (i % 2)), proxyStates: [], secret: Buffer.from(secretText) }).packet)).toBe(true);
      expect(radius.verify_response({ request, response: Buffer.from(reply.packet), secret: secretText })).toBe(true);
      expect(verifyResponse({ response: reply.packet, requestAuthenticator: packet.authenticator, secret, requireMessageAuthenticator: true }).ok).toBe(true);
    }
  });

  it("refuses what another secret signed, on every check it feeds", () => {
    const other = createRadiusSecret("another-secret");
    const access = parse(Buffer.from(GOLDEN.access, "hex"));
    expect(verifyRequest({ packet: access, secret: prepared, requireMessageAuthenticator: true })).toEqual({ ok: true });
    expect(verifyRequest({ packet: access, secret: other, requireMessageAuthenticator: true })).toMatchObject({ ok: false, reason: "bad_message_authenticator" });
    const hidden = access.attributes.find((attr) => attr.type === Attr.UserPassword)!.value;
    expect(decryptPassword({ value: hidden, secret: prepared, authenticator: ra })).toMatchObject({ ok: true });
    const acct = parse(Buffer.from(GOLDEN.acctreq, "hex"));
    expect(verifyRequest({ packet: acct, secret: prepared, requireMessageAuthenticator: true })).toEqual({ ok: true });
    expect(verifyRequest({ packet: acct, secret: other, requireMessageAuthenticator: false })).toMatchObject({ ok: false });
    const accept = Buffer.from(GOLDEN.accept, "hex");
    expect(verifyResponse({ response: accept, requestAuthenticator: ra, secret: prepared, requireMessageAuthenticator: true }).ok).toBe(true);
    expect(verifyResponse({ response: accept, requestAuthenticator: ra, secret: other, requireMessageAuthenticator: true }).ok).toBe(false);
    const acctResponse = Buffer.from(GOLDEN.acctresp, "hex");
    expect(verifyResponse({ response: acctResponse, requestAuthenticator: ra, secret: prepared, requireMessageAuthenticator: true }).ok).toBe(true);
  });
});
