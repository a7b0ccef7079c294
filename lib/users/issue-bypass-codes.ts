import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";
import { generateBypassCodes } from "../factors/generate-bypass-codes";

// Helpdesk hands a locked-out or phoneless user a short-lived code; the plaintext leaves only in this return value.
// The codes and their audit row commit together: a code nobody can account for must not exist.
export const issueBypassCodes = async (options: { prisma: TPrisma; actor: TActor; userId: string; input: { count?: number; uses?: number; expiresInMinutes?: number | null } }) =>
  options.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: options.userId }, select: { id: true } });
    if (!user) throw new AppError("NOT_FOUND", "That user no longer exists");
    const result = await generateBypassCodes({ prisma: tx, userId: user.id, createdBy: options.actor.email, input: options.input });
    await recordAuditEvent({
      db: tx, actor: options.actor, action: "user.issue_bypass_codes", targetType: "User", targetId: user.id,
      after: { count: result.codes.length, uses: result.uses, expiresAt: result.expiresAt },
    });
    return result;
  });
