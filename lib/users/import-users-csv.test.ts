import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import type { TActor } from "../auth/types";
import { authenticateLocal } from "../primary-auth/local";
import { importUsersCsv } from "./import-users-csv";

let actor: TActor;
const tag = randomUUID().slice(0, 8);
beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email: `csvpw-${tag}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
});
afterAll(async () => {
  await prisma.user.deleteMany({ where: { username: { contains: tag } } });
  await prisma.adminAuditEvent.deleteMany({ where: { adminId: actor.adminId } });
  await prisma.admin.delete({ where: { id: actor.adminId } });
  await disconnectPrisma();
});

describe("importUsersCsv with a password column", () => {
  it("hashes passwords on import (header in any order), never echoes or audits them, and one bad row never blocks the others", async () => {
    const secrets = { ann: "Ann-pässwörd 1", bob: "bob,quoted\"pw", short: "tiny-12", ctl: "ctl-secret-1" };
    const csv = [
      "password,username,groups",
      `"${secrets.ann}",ann-${tag},`,
      `"bob,quoted""pw",bob-${tag},`,
      `"unclosed-${secrets.ctl},cid-${tag},`,
      `${secrets.short},dan-${tag},`,
      `${secrets.ctl}\u0007,eve-${tag},`,
      `${"p".repeat(129)},fay-${tag},`,
      `,gus-${tag},`,
      `x-${"é".repeat(70)},hal-${tag},`,
    ].join("\n");
    const result = await importUsersCsv({ prisma, actor, csv });
    expect(result).toMatchObject({ created: 3, updated: 0, passwordsSet: 2 });
    expect(result.errors.map((error) => error.line)).toEqual([4, 5, 6, 7, 9]);
    expect(result.errors[0]?.message).toContain("quoted field is not closed");
    expect(result.errors[1]?.message).toMatch(/^password: Use at least 8/);
    expect(result.errors[2]?.message).toContain("control characters");
    expect(result.errors[3]?.message).toMatch(/^password: At most 128 bytes/);
    expect(result.errors[4]?.message).toMatch(/^password: At most 128 bytes/);
    const everything = JSON.stringify(result) + JSON.stringify(await prisma.adminAuditEvent.findMany({ where: { adminId: actor.adminId }, select: { before: true, after: true } }));
    for (const secret of Object.values(secrets)) expect(everything).not.toContain(secret);

    const ann = await prisma.user.findUniqueOrThrow({ where: { username: `ann-${tag}` }, omit: { passwordHash: false } });
    expect(ann.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await authenticateLocal({ prisma, username: `ann-${tag}`, password: secrets.ann })).toMatchObject({ outcome: "accept" });
    expect(await authenticateLocal({ prisma, username: `bob-${tag}`, password: secrets.bob })).toMatchObject({ outcome: "accept" });
    const gus = await prisma.user.findUniqueOrThrow({ where: { username: `gus-${tag}` }, omit: { passwordHash: false } });
    expect(gus.passwordHash).toBeNull();

    // A later import with an empty password keeps the hash; a new one replaces it and clears "choose at enrollment".
    await prisma.user.update({ where: { id: ann.id }, data: { passwordChoiceRequired: true } });
    expect(await importUsersCsv({ prisma, actor, csv: `ann-${tag},ann@example.test,,\nbob-${tag},,,new-password-9` })).toMatchObject({ created: 0, updated: 2, passwordsSet: 1, errors: [] });
    expect(await authenticateLocal({ prisma, username: `ann-${tag}`, password: secrets.ann })).toMatchObject({ outcome: "accept" });
    expect(await authenticateLocal({ prisma, username: `bob-${tag}`, password: "new-password-9" })).toMatchObject({ outcome: "accept" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: ann.id } })).passwordChoiceRequired).toBe(true);
  });

  it("keeps DOMAIN\\user, case and Unicode spellings as the one normalized name and reports duplicates by line", async () => {
    const result = await importUsersCsv({ prisma, actor, csv: `ＩＶＹ-${tag}\nivy-${tag}\nCORP\\ivy-${tag}\n\u200Bivy-${tag}` });
    expect(result.created).toBe(2);
    expect(result.errors).toEqual([
      { line: 2, message: `username ivy-${tag} already appears on line 1` },
      { line: 4, message: expect.stringContaining("control or invisible") },
    ]);
    expect(await prisma.user.count({ where: { username: { in: [`ivy-${tag}`, `corp\\ivy-${tag}`] } } })).toBe(2);
  });
});
