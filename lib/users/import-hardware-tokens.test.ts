import { randomUUID } from "node:crypto";
import { HOTP, Secret } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { decryptSecret } from "../secrets/envelope";
import { verifyPasscode } from "../factors/verify-passcode";
import { importHardwareTokens } from "./import-hardware-tokens";

let actor: TActor;
beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email: `tok-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
});
afterAll(async () => {
  await prisma.admin.delete({ where: { id: actor.adminId } });
  await disconnectPrisma();
});

const fieldErrorsOf = async (promise: Promise<unknown>) => {
  const error = await promise.catch((caught: unknown) => caught);
  expect(AppError.is(error)).toBe(true);
  return (error as AppError).fieldErrors ?? {};
};

describe("importHardwareTokens", () => {
  it("rejects an empty CSV, a CSV over 1 MB and digits other than 6 or 8 before touching the database", async () => {
    expect(Object.keys(await fieldErrorsOf(importHardwareTokens({ prisma, actor, input: { csv: "  \n", digits: "6" } })))).toEqual(["csv"]);
    expect(Object.keys(await fieldErrorsOf(importHardwareTokens({ prisma, actor, input: { csv: "a".repeat(1_000_001), digits: "6" } })))).toEqual(["csv"]);
    expect(Object.keys(await fieldErrorsOf(importHardwareTokens({ prisma, actor, input: { csv: "s1,3132333435363738393031323334353637383930,0,x", digits: "7" } })))).toEqual(["digits"]);
    expect((await fieldErrorsOf(importHardwareTokens({ prisma, actor, input: { csv: "serial,secret,counter,username\n", digits: "6" } }))).csv).toEqual(["The file has no rows"]);
  });

  it("imports the good rows with the chosen digits, lists the bad ones, and audits serials and usernames without secrets", async () => {
    const tag = randomUUID().slice(0, 8);
    const user = await prisma.user.create({ data: { username: `tok-${tag}` } });
    const hex = "3132333435363738393031323334353637383930";
    const csv = `\uFEFFserial,secret,counter,username\nT8-${tag},${hex},7,tok-${tag}\nT9-${tag},not-a-secret!,0,tok-${tag}\n`;
    const result = await importHardwareTokens({ prisma, actor, input: { csv, digits: "8" } });
    expect(result.imported).toEqual([{ serial: `T8-${tag}`, username: `tok-${tag}` }]);
    expect(result.rowErrors).toHaveLength(1);
    expect(result.rowErrors[0]).toMatch(/^Line 3: /);

    const token = await prisma.authenticator.findFirstOrThrow({ where: { userId: user.id }, omit: { secret: false } });
    expect([token.kind, token.active, token.digits, token.counter]).toEqual(["hotp", true, 8, 7n]);
    expect(token.secret).not.toContain(hex);
    expect(decryptSecret(token.secret ?? "")).toBe(Secret.fromHex(hex).base32);
    const code = HOTP.generate({ secret: Secret.fromHex(hex), digits: 8, counter: 7 });
    expect(await verifyPasscode({ prisma, authenticatorIds: [token.id], code, now: new Date() })).toMatchObject({ ok: true, kind: "hotp" });

    const audit = await prisma.adminAuditEvent.findMany({ where: { adminId: actor.adminId, action: "authenticator.import_hotp" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetType: "Authenticator", targetId: token.id, after: { serial: `T8-${tag}`, username: `tok-${tag}`, digits: 8 } });
    expect(JSON.stringify(audit[0]?.after)).not.toContain(hex);
    expect(JSON.stringify(audit[0]?.after)).not.toContain(Secret.fromHex(hex).base32);

    // A file whose every row fails imports nothing and writes no audit row.
    const again = await importHardwareTokens({ prisma, actor, input: { csv: `T8-${tag},${hex},0,tok-${tag}\n`, digits: 6 } });
    expect(again.imported).toEqual([]);
    expect(again.rowErrors[0]).toContain("already exists");
    expect(await prisma.adminAuditEvent.count({ where: { adminId: actor.adminId, action: "authenticator.import_hotp" } })).toBe(1);
    await prisma.user.delete({ where: { id: user.id } });
  });

  it("keeps each token with its own audit event: a token whose audit row fails is not imported, the others are", async () => {
    const tag = randomUUID().slice(0, 8);
    const user = await prisma.user.create({ data: { username: `tok-${tag}` } });
    const hex = "3132333435363738393031323334353637383930";
    const csv = `A-${tag},${hex},0,tok-${tag}\nB-${tag},${hex},0,tok-${tag}\n`;
    // An adminId naming no admin fails every audit insert on its foreign key, inside each token's transaction.
    const ghost = { adminId: randomUUID(), email: "ghost@example.test" };
    await expect(importHardwareTokens({ prisma, actor: ghost, input: { csv, digits: "6" } })).rejects.toThrow();
    expect(await prisma.authenticator.count({ where: { userId: user.id } })).toBe(0);

    const result = await importHardwareTokens({ prisma, actor, input: { csv, digits: "6" } });
    expect(result.imported.map((row) => row.serial)).toEqual([`A-${tag}`, `B-${tag}`]);
    const tokens = await prisma.authenticator.findMany({ where: { userId: user.id }, select: { id: true } });
    const audited = await prisma.adminAuditEvent.findMany({ where: { action: "authenticator.import_hotp", targetId: { in: tokens.map((token) => token.id) } } });
    expect(audited).toHaveLength(2);
    await prisma.user.delete({ where: { id: user.id } });
  });
});
