import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { issueBypassCodes } from "./issue-bypass-codes";

afterAll(disconnectPrisma);

// An actor whose adminId names no admin makes the audit insert fail on its foreign key, inside the issuing transaction.
const unauditable = () => ({ adminId: randomUUID(), email: "ghost@example.test" });
const newUser = () => prisma.user.create({ data: { username: `bypass-${randomUUID()}` }, select: { id: true } });

describe("issueBypassCodes", () => {
  it("issues the codes with one audit event", async () => {
    const user = await newUser();
    const result = await issueBypassCodes({ prisma, actor: { email: "helpdesk@example.test" }, userId: user.id, input: { count: 2, expiresInMinutes: 60 } });
    expect(result.codes).toHaveLength(2);
    expect(await prisma.bypassCode.count({ where: { userId: user.id } })).toBe(2);
    expect(await prisma.adminAuditEvent.findMany({ where: { action: "user.issue_bypass_codes", targetId: user.id }, select: { after: true } })).toEqual([
      { after: { count: 2, uses: 1, expiresAt: result.expiresAt?.toISOString() } },
    ]);
    await prisma.user.delete({ where: { id: user.id } });
  });

  it("leaves no code behind when its audit row cannot be written", async () => {
    const user = await newUser();
    await expect(issueBypassCodes({ prisma, actor: unauditable(), userId: user.id, input: { count: 3 } })).rejects.toThrow();
    expect(await prisma.bypassCode.count({ where: { userId: user.id } })).toBe(0);
    await prisma.user.delete({ where: { id: user.id } });
  });

  it("refuses an unknown user and an out-of-range lifetime without writing anything", async () => {
    await expect(issueBypassCodes({ prisma, actor: { email: "helpdesk@example.test" }, userId: randomUUID(), input: {} })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const user = await newUser();
    await expect(issueBypassCodes({ prisma, actor: { email: "helpdesk@example.test" }, userId: user.id, input: { expiresInMinutes: 60 * 24 * 91 } })).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await prisma.bypassCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.adminAuditEvent.count({ where: { action: "user.issue_bypass_codes", targetId: user.id } })).toBe(0);
    await prisma.user.delete({ where: { id: user.id } });
  });
});
