import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { vendorAttribute } from "../attributes";
import { mschapV2Attributes, mschapV2ChangePasswordAttributes } from "../../testing/mschap-client";
import { buildMschapReplyAttributes } from "./build-mschap-reply-attributes";
import { buildPasscodeReply } from "./build-passcode-reply";
import { createNtResponseProof } from "./create-nt-response-proof";
import { desEncrypt } from "./des-encrypt";
import { md4 } from "./md4";
import { MICROSOFT_VENDOR, MsAttr } from "./microsoft-attributes";
import { decryptMppeKey, encryptMppeKey } from "./mppe-key-attribute";
import { deriveServerMppeKeys, mppeMasterKey } from "./mppe-keys";
import { challengeHash, generateAuthenticatorResponse, generateNtResponse, ntPasswordHash } from "./nt-response";
import { rc4 } from "./rc4";
import { readMschapRequest } from "./read-mschap-request";
import { readMschapReply } from "./read-mschap-reply";

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

// RFC 2759 §9.2 (and RFC 3079 §3.5.3, which reuses it).
const V = {
  userName: Buffer.from("User"),
  password: "clientPass",
  authenticatorChallenge: hex("5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28"),
  peerChallenge: hex("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E"),
  challenge: hex("D0 2E 43 86 BC E9 12 26"),
  ntResponse: hex("82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF"),
  passwordHash: hex("44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE"),
  passwordHashHash: hex("41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F"),
  authenticatorResponse: "S=407A5589115FD0D6209F510FE9C04566932CDA56",
  masterKey: hex("FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31"),
  sendStartKey128: hex("8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB"),
};

describe("MS-CHAPv2 computations against the RFC vectors", () => {
  it("MD4 (RFC 1320 §A.5), DES (FIPS 81) and RC4 (the 'Key'/'Plaintext' vector)", () => {
    const vectors: [string, string][] = [
      ["", "31d6cfe0d16ae931b73c59d7e0c089c0"],
      ["abc", "a448017aaf21d8525fc10ae87aa6729d"],
      ["message digest", "d9130a8164549fe818874806e1c7014b"],
      ["12345678901234567890123456789012345678901234567890123456789012345678901234567890", "e33b4ddc9c38f2199c3e7b164fcc0536"],
    ];
    for (const [input, digest] of vectors) expect(md4(Buffer.from(input)).toString("hex")).toBe(digest);
    // The classic key 0123456789ABCDEF is these 56 bits once its parity bits are dropped.
    expect(desEncrypt({ key7: hex("00451338957377"), block: Buffer.from("Now is t") }).toString("hex")).toBe("3fa40e8a984d4815");
    expect(rc4({ key: Buffer.from("Key"), data: Buffer.from("Plaintext") }).toString("hex")).toBe("bbf316e8d940af0ad3");
  });

  it("NtPasswordHash, ChallengeHash, NT-Response and the authenticator response of RFC 2759 §9.2", () => {
    expect(ntPasswordHash(V.password)).toEqual(V.passwordHash);
    expect(md4(V.passwordHash)).toEqual(V.passwordHashHash);
    const exchange = { authenticatorChallenge: V.authenticatorChallenge, peerChallenge: V.peerChallenge, userName: V.userName };
    expect(challengeHash(exchange)).toEqual(V.challenge);
    expect(generateNtResponse({ ...exchange, passwordHash: V.passwordHash })).toEqual(V.ntResponse);
    expect(generateAuthenticatorResponse({ ...exchange, passwordHash: V.passwordHash, ntResponse: V.ntResponse })).toBe(V.authenticatorResponse);
    // §8.2: a domain prefix is not part of the user name hashed.
    expect(challengeHash({ ...exchange, userName: Buffer.from("CORP\\User") })).toEqual(V.challenge);
  });

  it("MPPE master and start keys of RFC 3079 §3.5.3 (its SendStartKey128 is the server's send key)", () => {
    expect(mppeMasterKey({ passwordHash: V.passwordHash, ntResponse: V.ntResponse })).toEqual(V.masterKey);
    const keys = deriveServerMppeKeys({ passwordHash: V.passwordHash, ntResponse: V.ntResponse });
    expect(keys.sendKey).toEqual(V.sendStartKey128);
    expect(keys.recvKey).not.toEqual(keys.sendKey);
  });

  it("hides MPPE keys per RFC 2548 §2.4.2: salt with its high bit, key-length byte, padding; only the right secret and authenticator reveal them", () => {
    const key = randomBytes(16);
    const [secret, authenticator] = [Buffer.from("nas-secret"), randomBytes(16)];
    const value = encryptMppeKey({ key, secret, authenticator, salt: Buffer.from([0x01, 0x02]) });
    expect(value.length).toBe(2 + 32);
    expect(value[0]! & 0x80).toBe(0x80);
    expect(decryptMppeKey({ value, secret, authenticator })).toEqual({ ok: true, key });
    // The first block is MD5(secret + authenticator + salt) XOR (16, key[0..15]): checked by hand.
    const first = Buffer.from(value.subarray(2, 18));
    expect(first[0]! ^ decryptMask(secret, authenticator, value.subarray(0, 2))[0]!).toBe(16);
    expect(decryptMppeKey({ value, secret: Buffer.from("other"), authenticator })).not.toEqual({ ok: true, key });
    expect(decryptMppeKey({ value, secret, authenticator: randomBytes(16) })).not.toEqual({ ok: true, key });
    const avoid = value.subarray(0, 2);
    for (let i = 0; i < 50; i += 1) expect(encryptMppeKey({ key, secret, authenticator, avoid }).subarray(0, 2).equals(avoid)).toBe(false);
  });
});

// Independent of the module: RFC 2548's b(1) = MD5(S + R + A).
const decryptMask = (secret: Buffer, authenticator: Buffer, salt: Buffer) => createHash("md5").update(secret).update(authenticator).update(salt).digest();

describe("MS-CHAPv2 attributes", () => {
  it("reads MS-CHAP-Challenge + MS-CHAP2-Response, a password change, and refuses MS-CHAPv1 or malformed values", () => {
    const attempt = mschapV2Attributes({ userName: "alice", password: "pw", ident: 9 });
    const read = readMschapRequest(attempt.attributes);
    expect(read?.ok && read.mschap.kind).toBe("response");
    expect(read?.ok && read.mschap.ident).toBe(9);
    expect(read?.ok && read.mschap.relay).toHaveLength(2);
    const cpw = readMschapRequest(mschapV2ChangePasswordAttributes({ userName: "alice", oldPassword: "a", newPassword: "b", ident: 4 }).attributes);
    expect(cpw?.ok && [cpw.mschap.kind, cpw.mschap.ident, cpw.mschap.relay.length]).toEqual(["change_password", 4, 5]);
    expect(readMschapRequest([vendorAttribute(9, 1, Buffer.from("a=b"))])).toBeUndefined();
    expect(readMschapRequest([vendorAttribute(MICROSOFT_VENDOR, MsAttr.Chap1Response, Buffer.alloc(50))])).toEqual({ ok: false, detail: expect.stringMatching(/MS-CHAPv1/) });
    const short = [vendorAttribute(MICROSOFT_VENDOR, MsAttr.ChapChallenge, Buffer.alloc(8)), attempt.attributes[1]!];
    expect(readMschapRequest(short)?.ok).toBe(false);
  });

  it("a proof matches only the passcode the NT-Response was computed over, and remembers it for MS-CHAP2-Success", () => {
    const attempt = mschapV2Attributes({ userName: "CORP\\bob", password: "123456" });
    const read = readMschapRequest(attempt.attributes);
    if (!read?.ok) throw new Error("unreadable");
    const proof = createNtResponseProof({ mschap: read.mschap, userName: Buffer.from("CORP\\bob") });
    expect(proof.matches("654321")).toBe(false);
    expect(proof.matched()).toBeUndefined();
    expect(proof.matches("123456")).toBe(true);
    expect(proof.matched()).toBe("123456");
    const reply = buildPasscodeReply({ mschap: read.mschap, userName: Buffer.from("CORP\\bob"), passcode: "123456" });
    expect(reply.success?.subarray(1).toString()).toBe(attempt.expectedSuccess);
    expect(reply.success?.[0]).toBe(attempt.ident);
    expect(reply.keys).toEqual(attempt.expectedKeys);
  });

  it("re-hides upstream keys for the NAS: decrypt with the upstream's secret and authenticator, encrypt with the NAS's", () => {
    const keys = { sendKey: randomBytes(16), recvKey: randomBytes(16) };
    const up = { secret: Buffer.from("ise-secret"), authenticator: randomBytes(16) };
    const nas = { secret: Buffer.from("asa-secret"), authenticator: randomBytes(16) };
    const success = Buffer.concat([Buffer.from([3]), Buffer.from(`S=${"A".repeat(40)}`)]);
    const upstream = [
      vendorAttribute(MICROSOFT_VENDOR, MsAttr.MppeRecvKey, encryptMppeKey({ key: keys.recvKey, ...up })),
      vendorAttribute(MICROSOFT_VENDOR, MsAttr.MppeSendKey, encryptMppeKey({ key: keys.sendKey, ...up })),
      vendorAttribute(MICROSOFT_VENDOR, MsAttr.Chap2Success, success),
      vendorAttribute(MICROSOFT_VENDOR, MsAttr.MppeEncryptionPolicy, Buffer.from([0, 0, 0, 1])),
      vendorAttribute(9, 1, Buffer.from("shell:priv-lvl=1")),
    ];
    const read = readMschapReply({ attributes: upstream, ...up });
    if (!read.ok) throw new Error(read.detail);
    expect(read.rest).toEqual([upstream[4]]);
    expect(read.reply.keys).toEqual(keys);
    expect(read.reply.success).toEqual(success);
    const forNas = buildMschapReplyAttributes({ reply: read.reply, ...nas });
    const value = (type: number) => forNas.find((attr) => attr.vendorType === type)?.value.subarray(6) ?? Buffer.alloc(0);
    expect(decryptMppeKey({ value: value(MsAttr.MppeSendKey), ...nas })).toEqual({ ok: true, key: keys.sendKey });
    expect(decryptMppeKey({ value: value(MsAttr.MppeRecvKey), ...nas })).toEqual({ ok: true, key: keys.recvKey });
    expect(value(MsAttr.MppeSendKey).subarray(0, 2).equals(value(MsAttr.MppeRecvKey).subarray(0, 2))).toBe(false);
    expect(value(MsAttr.Chap2Success)).toEqual(success);
    const wrong = readMschapReply({ attributes: upstream, secret: Buffer.from("wrong"), authenticator: up.authenticator });
    expect(wrong.ok && wrong.reply.keys).not.toEqual(keys);
    const expired = vendorAttribute(MICROSOFT_VENDOR, MsAttr.ChapError, Buffer.concat([Buffer.from([1]), Buffer.from("E=648 R=0 V=3")]));
    const rejected = readMschapReply({ attributes: [expired], ...up });
    expect(rejected.ok && [rejected.reply.errorCode, rejected.reply.error]).toEqual([648, [expired]]);
  });
});
