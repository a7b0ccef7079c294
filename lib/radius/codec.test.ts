import radius from "radius";
import { describe, expect, it } from "vitest";
import { vendorAttribute, textAttributes, vendorValue } from "./attributes";
import { Attr, RadiusCode } from "./constants";
import { attributeKeyByName, attributeName, ensureDictionaries } from "./dictionary";
import { decodeRequest } from "./decode-request";
import { encodeRequest, encodeResponse } from "./encode-packet";
import { parsePacket } from "./parse-packet";
import { encryptPassword } from "./password";
import { verifyRequest } from "./verify-request";
import { verifyResponse } from "./verify-response";

ensureDictionaries();
const SECRET = "s3cret-shared";
const secret = Buffer.from(SECRET);

const accessRequest = (password: string, extra: [string, unknown][] = [], withMa = true) =>
  radius.encode({
    code: "Access-Request",
    secret: SECRET,
    identifier: 42,
    attributes: [["User-Name", "alice@corp"], ["User-Password", password], ["NAS-IP-Address", "10.1.2.3"], ["Calling-Station-Id", "198.51.100.7"], ...extra],
    add_message_authenticator: withMa,
  });

describe("radius codec", () => {
  it("decodes a request the radius package encoded, password and NAS facts included", () => {
    const parsed = parsePacket(accessRequest("pa,ss\\wörd", [["Proxy-State", Buffer.from("p1")], ["Proxy-State", Buffer.from("p2")]]));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(verifyRequest({ packet: parsed.packet, secret, requireMessageAuthenticator: true })).toEqual({ ok: true });
    const decoded = decodeRequest({ packet: parsed.packet, secret });
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.request.userName).toBe("alice@corp");
    expect(decoded.request.password?.toString("utf8")).toBe("pa,ss\\wörd");
    expect(decoded.request.nasIp).toBe("10.1.2.3");
    expect(decoded.request.callingStationId).toBe("198.51.100.7");
    expect(decoded.request.proxyStates.map((value) => value.toString())).toEqual(["p1", "p2"]);
    expect(decoded.request.byName["User-Name"]?.[0]?.toString()).toBe("alice@corp");
  });

  it("decodes a 128-byte password of arbitrary bytes", () => {
    const password = Buffer.alloc(128, 0xfe);
    const authenticator = Buffer.alloc(16, 7);
    const hidden = encryptPassword({ password, secret, authenticator });
    const full = encodeRequest({ code: RadiusCode.AccessRequest, identifier: 1, authenticator, attributes: [{ type: Attr.UserPassword, value: hidden }], secret });
    const parsed = parsePacket(full.packet);
    if (!parsed.ok) throw new Error("parse failed");
    const decoded = decodeRequest({ packet: parsed.packet, secret });
    expect(decoded.ok && decoded.request.password?.equals(password)).toBe(true);
    const wrong = decodeRequest({ packet: parsed.packet, secret: Buffer.from("wrong") });
    expect(wrong.ok).toBe(false);
  });

  it("rejects a wrong secret through the Message-Authenticator and a missing one when required", () => {
    const parsed = parsePacket(accessRequest("x"));
    if (!parsed.ok) throw new Error("parse failed");
    expect(verifyRequest({ packet: parsed.packet, secret: Buffer.from("other"), requireMessageAuthenticator: false })).toMatchObject({ ok: false, reason: "bad_message_authenticator" });
    const noMa = parsePacket(accessRequest("x", [], false));
    if (!noMa.ok) throw new Error("parse failed");
    expect(verifyRequest({ packet: noMa.packet, secret, requireMessageAuthenticator: true })).toMatchObject({ ok: false, reason: "missing_message_authenticator" });
    expect(verifyRequest({ packet: noMa.packet, secret, requireMessageAuthenticator: false })).toEqual({ ok: true });
  });

  it("encodes responses with Message-Authenticator first that the radius package verifies", () => {
    const request = accessRequest("pw");
    const parsed = parsePacket(request);
    if (!parsed.ok) throw new Error("parse failed");
    const cisco = vendorAttribute(9, 1, Buffer.from("shell:priv-lvl=15"));
    const { packet } = encodeResponse({
      code: RadiusCode.AccessAccept,
      identifier: parsed.packet.identifier,
      requestAuthenticator: parsed.packet.authenticator,
      attributes: [...textAttributes(Attr.Class, "OU=Engineering;"), cisco],
      proxyStates: [Buffer.from("ps")],
      secret,
    });
    expect(packet[20]).toBe(Attr.MessageAuthenticator);
    expect(radius.verify_response({ request, response: Buffer.from(packet), secret: SECRET })).toBe(true);
    const decoded = radius.decode({ packet, secret: SECRET });
    expect(decoded.attributes["Class"]).toEqual(Buffer.from("OU=Engineering;"));
    expect((decoded.attributes["Vendor-Specific"] as Record<string, unknown>)["Cisco-AVPair"]).toBe("shell:priv-lvl=15");
    expect(decoded.attributes["Proxy-State"]).toEqual(Buffer.from("ps"));
    const ours = verifyResponse({ response: packet, requestAuthenticator: parsed.packet.authenticator, secret, requireMessageAuthenticator: true });
    expect(ours.ok).toBe(true);
    if (ours.ok) expect(vendorValue(ours.packet.attributes.find((attr) => attr.vendorId === 9)!)?.toString()).toBe("shell:priv-lvl=15");
  });

  it("accounting requests round-trip through the request authenticator", () => {
    const request = radius.encode({ code: "Accounting-Request", secret: SECRET, identifier: 9, attributes: [["User-Name", "carol"], ["Acct-Status-Type", "Start"], ["Acct-Session-Id", "abc"]] });
    const parsed = parsePacket(request);
    if (!parsed.ok) throw new Error("parse failed");
    expect(verifyRequest({ packet: parsed.packet, secret, requireMessageAuthenticator: true })).toEqual({ ok: true });
    expect(verifyRequest({ packet: parsed.packet, secret: Buffer.from("nope"), requireMessageAuthenticator: false })).toMatchObject({ ok: false, reason: "bad_authenticator" });
    const ours = encodeRequest({ code: RadiusCode.AccountingRequest, identifier: 3, authenticator: Buffer.alloc(16), attributes: [{ type: Attr.UserName, value: Buffer.from("dave") }], secret });
    const reparsed = parsePacket(ours.packet);
    if (!reparsed.ok) throw new Error("parse failed");
    expect(verifyRequest({ packet: reparsed.packet, secret, requireMessageAuthenticator: true })).toEqual({ ok: true });
  });

  it("names vendor attributes from the shipped dictionaries", () => {
    expect(attributeKeyByName("Cisco-AVPair")).toEqual({ type: 26, vendorId: 9, vendorType: 1 });
    expect(attributeKeyByName("ASA-Group-Policy")).toEqual({ type: 26, vendorId: 3076, vendorType: 25 });
    expect(attributeKeyByName("MS-CHAP-Error")).toMatchObject({ type: 26, vendorId: 311 });
    expect(attributeName({ type: 25 })).toBe("Class");
    expect(attributeName({ type: 26, vendorId: 3076, vendorType: 25 })).toBe("ASA-Group-Policy");
    expect(attributeName({ type: 26, vendorId: 99999, vendorType: 5 })).toBe("Vendor-99999-Attr-5");
  });
});
