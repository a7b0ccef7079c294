import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { importUsersCsv } from "./import-users-csv";
import { unlockUser } from "./user-actions";
import { searchUsers } from "./search-users";

let actor: TActor;
beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email: `usr-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
});
afterAll(async () => {
  await prisma.admin.delete({ where: { id: actor.adminId } });
  await disconnectPrisma();
});

describe("users", () => {
  it("imports CSV row by row: bad rows are listed and skipped, the good ones land with their groups", async () => {
    const tag = randomUUID().slice(0, 8);
    const bad = `username,email,groups\nann-${tag},ann@example.test,vpn-${tag}\nbob ${tag},bob@example.test,\ncid-${tag},not-an-email,\nann-${tag},,\n`;
    const first = await importUsersCsv({ prisma, actor, csv: bad });
    expect(first).toMatchObject({ created: 1, updated: 0, passwordsSet: 0 });
    expect(first.errors.map((error) => error.line)).toEqual([3, 4, 5]);
    expect(await prisma.user.count({ where: { username: `ann-${tag}` } })).toBe(1);

    const onlyBad = await importUsersCsv({ prisma, actor, csv: `bob ${tag},,\n` }).catch((caught: unknown) => caught);
    expect(AppError.is(onlyBad) && onlyBad.fieldErrors?.csv).toEqual([expect.stringMatching(/^Line 1: username: /)]);

    const good = `ANN-${tag},ann@example.test,"vpn-${tag};ops-${tag}"\ndan-${tag},,vpn-${tag}\n`;
    expect(await importUsersCsv({ prisma, actor, csv: good })).toEqual({ created: 1, updated: 1, passwordsSet: 0, errors: [] });
    const found = await searchUsers({ prisma, query: `ops-${tag}` });
    expect(found.map((user) => user.username)).toEqual([`ann-${tag}`]);
    expect((await searchUsers({ prisma, query: `vpn-${tag}` })).length).toBe(2);
    await prisma.user.deleteMany({ where: { username: { in: [`ann-${tag}`, `dan-${tag}`] } } });
    await prisma.group.deleteMany({ where: { name: { in: [`vpn-${tag}`, `ops-${tag}`] } } });
  });

  it("unlock returns a locked-out user to active and clears the counter", async () => {
    const user = await prisma.user.create({ data: { username: `locked-${randomUUID()}`, status: "locked_out", failedAttempts: 7, lockedAt: new Date() } });
    await unlockUser({ prisma, actor, id: user.id });
    const after = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect([after.status, after.failedAttempts, after.lockedAt]).toEqual(["active", 0, null]);
    await prisma.user.delete({ where: { id: user.id } });
  });
});
