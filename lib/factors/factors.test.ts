import { randomUUID } from "node:crypto";
import { HOTP, Secret, TOTP } from "otpauth";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { encryptSecret } from "../secrets/envelope";
import { activateTotpAuthenticator } from "./activate-totp-authenticator";
import { createTotpAuthenticator } from "./create-totp-authenticator";
import { generateBypassCodes } from "./generate-bypass-codes";
import { importHotpTokens } from "./import-hotp-tokens";
import { parseHotpCsv } from "./parse-hotp-csv";
import { resyncHotp } from "./resync-hotp";
import { verifyBypassCode } from "./verify-bypass-code";
import { verifyHotp } from "./verify-hotp";
import { verifyPasscode } from "./verify-passcode";
import { verifyTotp } from "./verify-totp";

afterAll(disconnectPrisma);

const newUser = async () => prisma.user.create({ data: { username: `factors-${randomUUID()}` }, select: { id: true, username: true } });

const seedTotp = async () => {
  const user = await newUser();
  const secret = new Secret({ size: 20 });
  const authenticator = await prisma.authenticator.create({
    data: { userId: user.id, kind: "totp", secret: encryptSecret(secret.base32), active: true },
    select: { id: true },
  });
  const codeAt = (date: Date) => TOTP.generate({ secret, timestamp: date.getTime() });
  return { user, authenticatorId: authenticator.id, codeAt };
};

const seedHotp = async (counter = 0) => {
  const user = await newUser();
  const secret = new Secret({ size: 20 });
  const authenticator = await prisma.authenticator.create({
    data: { userId: user.id, kind: "hotp", serial: randomUUID(), secret: encryptSecret(secret.base32), counter: BigInt(counter), active: true },
    select: { id: true },
  });
  const codeAt = (c: number) => HOTP.generate({ secret, counter: c });
  return { user, authenticatorId: authenticator.id, codeAt };
};

// A fixed instant in the middle of a 30 s step keeps "previous step" and "two steps back" unambiguous.
const now = new Date(Math.floor(Date.now() / 30_000) * 30_000 + 15_000);
const stepsAgo = (n: number) => new Date(now.getTime() - n * 30_000);

describe("TOTP", () => {
  it("accepts the right code and rejects a wrong one", async () => {
    const { authenticatorId, codeAt } = await seedTotp();
    const wrong = String((Number(codeAt(now)) + 1) % 1_000_000).padStart(6, "0");
    expect(await verifyTotp({ prisma, authenticatorId, code: wrong, now })).toEqual({ ok: false, reason: "invalid_passcode" });
    expect(await verifyTotp({ prisma, authenticatorId, code: codeAt(now), now })).toEqual({ ok: true, authenticatorId });
  });
  it("rejects a replayed code", async () => {
    const { authenticatorId, codeAt } = await seedTotp();
    expect((await verifyTotp({ prisma, authenticatorId, code: codeAt(now), now })).ok).toBe(true);
    expect(await verifyTotp({ prisma, authenticatorId, code: codeAt(now), now })).toEqual({ ok: false, reason: "passcode_replayed" });
    // An older step after a newer one was used is refused too.
    expect(await verifyTotp({ prisma, authenticatorId, code: codeAt(stepsAgo(1)), now })).toEqual({ ok: false, reason: "passcode_replayed" });
  });
  it("lets exactly one of two concurrent workers use a code", async () => {
    const { authenticatorId, codeAt } = await seedTotp();
    const code = codeAt(now);
    const results = await Promise.all(Array.from({ length: 8 }, () => verifyTotp({ prisma, authenticatorId, code, now })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "passcode_replayed")).toHaveLength(7);
  });
  it("accepts the previous step and rejects two steps back", async () => {
    const { authenticatorId, codeAt } = await seedTotp();
    expect((await verifyTotp({ prisma, authenticatorId, code: codeAt(stepsAgo(2)), now })).ok).toBe(false);
    expect((await verifyTotp({ prisma, authenticatorId, code: codeAt(stepsAgo(1)), now })).ok).toBe(true);
  });
  it("verifyPasscode picks the matching authenticator among several", async () => {
    const a = await seedTotp();
    const b = await seedHotp();
    const result = await verifyPasscode({ prisma, authenticatorIds: [b.authenticatorId, a.authenticatorId], code: a.codeAt(now), now });
    expect(result).toMatchObject({ ok: true, authenticatorId: a.authenticatorId, kind: "totp" });
  });
});

describe("TOTP enrollment", () => {
  it("stays inactive until a first code confirms it", async () => {
    const user = await newUser();
    const created = await createTotpAuthenticator({ prisma, userId: user.id, username: user.username });
    expect(created.uri).toMatch(/^otpauth:\/\/totp\/Twofold:.*secret=/);
    const code = TOTP.generate({ secret: Secret.fromBase32(created.secretBase32), timestamp: now.getTime() });
    const wrong = code === "000000" ? "000001" : "000000";
    expect((await activateTotpAuthenticator({ prisma, authenticatorId: created.authenticatorId, userId: user.id, code: wrong, now })).ok).toBe(false);
    expect((await prisma.authenticator.findUniqueOrThrow({ where: { id: created.authenticatorId } })).active).toBe(false);
    const other = await newUser();
    expect((await activateTotpAuthenticator({ prisma, authenticatorId: created.authenticatorId, userId: other.id, code, now })).ok).toBe(false);
    expect((await activateTotpAuthenticator({ prisma, authenticatorId: created.authenticatorId, userId: user.id, code, now })).ok).toBe(true);
    const row = await prisma.authenticator.findUniqueOrThrow({ where: { id: created.authenticatorId }, omit: { secret: false } });
    expect(row.active).toBe(true);
    expect(row.secret).not.toContain(created.secretBase32);
  });
});

describe("HOTP", () => {
  it("accepts within the look-ahead window, once", async () => {
    const { authenticatorId, codeAt } = await seedHotp(5);
    expect((await verifyHotp({ prisma, authenticatorId, code: codeAt(5 + 20), now })).ok).toBe(false);
    expect((await verifyHotp({ prisma, authenticatorId, code: codeAt(5 + 7), now })).ok).toBe(true);
    expect((await prisma.authenticator.findUniqueOrThrow({ where: { id: authenticatorId } })).counter).toBe(13n);
    expect(await verifyHotp({ prisma, authenticatorId, code: codeAt(12), now })).toEqual({ ok: false, reason: "passcode_replayed" });
    expect((await verifyHotp({ prisma, authenticatorId, code: codeAt(13), now })).ok).toBe(true);
  });
  it("lets exactly one of several concurrent workers use a code", async () => {
    const { authenticatorId, codeAt } = await seedHotp(0);
    const results = await Promise.all(Array.from({ length: 6 }, () => verifyHotp({ prisma, authenticatorId, code: codeAt(2), now })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
  it("resynchronizes with two consecutive codes far ahead", async () => {
    const { authenticatorId, codeAt } = await seedHotp(0);
    expect(await resyncHotp({ prisma, authenticatorId, code1: codeAt(500), code2: codeAt(502) })).toBe(false);
    expect(await resyncHotp({ prisma, authenticatorId, code1: codeAt(500), code2: codeAt(501) })).toBe(true);
    expect((await prisma.authenticator.findUniqueOrThrow({ where: { id: authenticatorId } })).counter).toBe(502n);
    expect((await verifyHotp({ prisma, authenticatorId, code: codeAt(503), now })).ok).toBe(true);
  });
  it("parses CSV with per-row errors and imports tokens", async () => {
    const user = await newUser();
    const serial = `S${Date.now()}`;
    const hexSeed = "3132333435363738393031323334353637383930"; // RFC 4226 test seed "12345678901234567890"
    const csv = [
      "serial,secret,counter,username",
      `${serial},${hexSeed},0,${user.username}`,
      `${serial}b,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,3,${user.username}`,
      `bad serial!,${hexSeed},0,${user.username}`,
      `${serial}c,not-a-secret,0,${user.username}`,
      `${serial}d,${hexSeed},-1,${user.username}`,
      `${serial}e,${hexSeed},0,nobody-${randomUUID()}`,
      `${serial},${hexSeed},0,${user.username}`,
    ].join("\n");
    const parsed = parseHotpCsv({ csv });
    expect(parsed.rows.map((r) => r.line)).toEqual([2, 3, 7]);
    expect(parsed.errors.map((e) => e.line)).toEqual([4, 5, 6, 8]);
    const result = await importHotpTokens({ prisma, csv });
    expect(result.imported.map((r) => r.serial)).toEqual([serial, `${serial}b`]);
    expect(result.errors.map((e) => e.line)).toEqual([4, 5, 6, 7, 8]);
    // RFC 4226 Appendix D: counter 0 → 755224, counter 1 → 287082.
    const first = result.imported[0]?.authenticatorId ?? "";
    expect((await verifyHotp({ prisma, authenticatorId: first, code: "287082", now })).ok).toBe(true);
    const again = await importHotpTokens({ prisma, csv: `${serial},${hexSeed},0,${user.username}` });
    expect(again.errors[0]?.message).toMatch(/already exists/);
  });
});

describe("bypass codes", () => {
  it("are single use by default and stored hashed", async () => {
    const user = await newUser();
    const { codes } = await generateBypassCodes({ prisma, userId: user.id, createdBy: "test", input: { count: 2 } });
    expect(codes).toHaveLength(2);
    const [code = ""] = codes;
    expect(code).toMatch(/^\d{12}$/);
    const rows = await prisma.bypassCode.findMany({ where: { userId: user.id }, omit: { codeHash: false } });
    expect(rows.every((row) => !row.codeHash.includes(code))).toBe(true);
    const results = await Promise.all([1, 2, 3].map(() => verifyBypassCode({ prisma, userId: user.id, code, now })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await verifyBypassCode({ prisma, userId: user.id, code: codes[1] ?? "", now })).toBe(true);
  });
  it("honour N uses, expiry and the owning user", async () => {
    const user = await newUser();
    const other = await newUser();
    const { codes } = await generateBypassCodes({ prisma, userId: user.id, createdBy: "test", input: { uses: 2, expiresInMinutes: 10 }, now });
    const code = codes[0] ?? "";
    expect(await verifyBypassCode({ prisma, userId: other.id, code, now })).toBe(false);
    expect(await verifyBypassCode({ prisma, userId: user.id, code, now: new Date(now.getTime() + 11 * 60_000) })).toBe(false);
    expect(await verifyBypassCode({ prisma, userId: user.id, code, now })).toBe(true);
    expect(await verifyBypassCode({ prisma, userId: user.id, code, now })).toBe(true);
    expect(await verifyBypassCode({ prisma, userId: user.id, code, now })).toBe(false);
  });
});
