import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { TRadiusAttribute } from "../primary-auth/types";
import { textAttributes, vendorAttribute } from "../radius/attributes";
import { Attr, RadiusCode } from "../radius/constants";
import { decodeRequest } from "../radius/decode-request";
import { encodeRequest } from "../radius/encode-packet";
import { parsePacket } from "../radius/parse-packet";
import { createAclGrantMemory } from "./create-acl-grant-memory";
import { findGrantedAclNames } from "./find-granted-acl-names";
import { isAclDownloadRequest } from "./is-acl-download-request";
import { pickAclContent } from "./pick-acl-content";

const secret = Buffer.from("pure-secret");
const avpair = (text: string) => vendorAttribute(9, 1, Buffer.from(text));
// Two Cisco sub-attributes in one Vendor-Specific: the first looks like a marker, the second rides along.
const packed = (first: string, second: string): TRadiusAttribute => {
  const sub = (text: string) => Buffer.concat([Buffer.from([1, 2 + Buffer.byteLength(text)]), Buffer.from(text)]);
  const value = Buffer.concat([Buffer.from([0, 0, 0, 9]), sub(first), sub(second)]);
  return { type: Attr.VendorSpecific, value, vendorId: 9, vendorType: 1 };
};

// Through the real codec, as the worker sees a request.
const request = (name: string, attributes: TRadiusAttribute[]) => {
  const { packet } = encodeRequest({ code: RadiusCode.AccessRequest, identifier: 1, authenticator: randomBytes(16), attributes: [...textAttributes(Attr.UserName, name), ...attributes], secret });
  const parsed = parsePacket(packet);
  if (!parsed.ok) throw new Error(parsed.detail);
  const decoded = decodeRequest({ packet: parsed.packet, secret });
  if (!decoded.ok) throw new Error(decoded.detail);
  return decoded.request;
};

const SERVICE = "aaa:service=ip_admission";
const EVENT = "aaa:event=acl-download";

describe("recognizing an ACL download", () => {
  it("needs the ACL name and both AV-pair markers", () => {
    expect(isAclDownloadRequest(request("#ACSACL#-IP-WEB-1", [avpair(SERVICE), avpair(EVENT)]))).toEqual({ aclName: "#ACSACL#-IP-WEB-1" });
    expect(isAclDownloadRequest(request("#ACSACL#-IPV6-WEB-1", [avpair(EVENT), avpair("audit-session-id=1"), avpair(SERVICE)]))).toBeDefined();
    expect(isAclDownloadRequest(request("#ACSACL#-IP-WEB-1", []))).toBeUndefined();
    expect(isAclDownloadRequest(request("#ACSACL#-IP-WEB-1", [avpair(EVENT)]))).toBeUndefined();
    expect(isAclDownloadRequest(request("#ACSACL#-IP-WEB-1", [avpair(SERVICE)]))).toBeUndefined();
    expect(isAclDownloadRequest(request("alice", [avpair(SERVICE), avpair(EVENT)]))).toBeUndefined();
    expect(isAclDownloadRequest(request("#ACSACL#-", [avpair(SERVICE), avpair(EVENT)]))).toBeUndefined();
    // Markers in another vendor's attribute, or with something packed behind them, are not markers.
    expect(isAclDownloadRequest(request("#ACSACL#-IP-WEB-1", [vendorAttribute(3076, 1, Buffer.from(SERVICE)), avpair(EVENT)]))).toBeUndefined();
    expect(isAclDownloadRequest(request("#ACSACL#-IP-WEB-1", [packed(SERVICE, "shell:priv-lvl=15"), avpair(EVENT)]))).toBeUndefined();
    expect(isAclDownloadRequest(request("#ACSACL#-IP-WEB-1", [avpair(` ${SERVICE}`), avpair(EVENT)]))).toBeUndefined();
  });

  it("passes back only the entries, byte for byte", () => {
    const entry = avpair("ip:inacl#1=permit ip any any");
    const v6 = avpair("ipv6:inacl#12=deny ipv6 any any");
    const attributes = [...textAttributes(Attr.Class, "OU=Admins;"), entry, avpair("shell:priv-lvl=15"), v6, avpair("ip:outacl#1=permit ip any any"), packed("ip:inacl#2=permit ip any any", "shell:priv-lvl=15"), vendorAttribute(3076, 25, Buffer.from("GP"))];
    const picked = pickAclContent(attributes);
    expect(picked).toEqual([entry, v6]);
    expect(picked[0]?.value).toBe(entry.value);
  });

  it("reads the granted ACL names and remembers the granting server for a while, within bounds", () => {
    expect(findGrantedAclNames([avpair("ACS:CiscoSecure-Defined-ACL=#ACSACL#-IP-WEB-1"), avpair("ACS:CiscoSecure-Defined-ACL=local-acl"), avpair("ip:inacl#1=x")])).toEqual(["#ACSACL#-IP-WEB-1"]);
    let time = 0;
    const grants = createAclGrantMemory({ maxEntries: 2, ttlMs: 1000, now: () => time });
    grants.remember({ applicationId: "a", aclName: "n1", serverId: "s1" });
    grants.remember({ applicationId: "a", aclName: "n2", serverId: "s2" });
    expect(grants.serverFor({ applicationId: "b", aclName: "n1" })).toBeUndefined();
    grants.remember({ applicationId: "a", aclName: "n1", serverId: "s3" }); // refreshed: n2 is now the oldest
    grants.remember({ applicationId: "a", aclName: "n4", serverId: "s4" });
    expect([grants.serverFor({ applicationId: "a", aclName: "n1" }), grants.serverFor({ applicationId: "a", aclName: "n2" })]).toEqual(["s3", undefined]);
    time = 1001;
    expect(grants.serverFor({ applicationId: "a", aclName: "n4" })).toBeUndefined();
  });
});
