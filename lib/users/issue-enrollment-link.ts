import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";
import { createEnrollmentLink } from "../enrollment/create-enrollment-link";

// The link and its audit row commit together: a link nobody can account for must not exist.
export const issueEnrollmentLink = async (options: { prisma: TPrisma; actor: TActor; userId: string }) =>
  options.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: options.userId }, select: { id: true } });
    if (!user) throw new AppError("NOT_FOUND", "That user no longer exists");
    // Issued by an admin or helpdesk: it may add a device for a user who already has one.
    const link = await createEnrollmentLink({ prisma: tx, userId: user.id, createdBy: options.actor.email, mayAddFactor: true });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "user.issue_enrollment_link", targetType: "User", targetId: user.id, after: { expiresAt: link.expiresAt } });
    return link;
  });
