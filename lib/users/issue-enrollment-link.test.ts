import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { issueEnrollmentLink } from "./issue-enrollment-link";

afterAll(disconnectPrisma);

const newUser = () => prisma.user.create({ data: { username: `enroll-link-${randomUUID()}` }, select: { id: true } });

describe("issueEnrollmentLink", () => {
  it("issues the link with one audit event", async () => {
    const user = await newUser();
    const link = await issueEnrollmentLink({ prisma, actor: { email: "helpdesk@example.test" }, userId: user.id });
    expect(await prisma.enrollmentLink.findMany({ where: { userId: user.id }, select: { id: true, mayAddFactor: true } })).toEqual([{ id: link.id, mayAddFactor: true }]);
    expect(await prisma.adminAuditEvent.count({ where: { action: "user.issue_enrollment_link", targetId: user.id } })).toBe(1);
    await prisma.user.delete({ where: { id: user.id } });
  });

  it("leaves no link behind when its audit row cannot be written", async () => {
    const user = await newUser();
    // An adminId naming no admin fails the audit insert on its foreign key, inside the issuing transaction.
    await expect(issueEnrollmentLink({ prisma, actor: { adminId: randomUUID(), email: "ghost@example.test" }, userId: user.id })).rejects.toThrow();
    expect(await prisma.enrollmentLink.count({ where: { userId: user.id } })).toBe(0);
    await prisma.user.delete({ where: { id: user.id } });
  });
});
