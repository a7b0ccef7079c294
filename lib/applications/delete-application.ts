import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";

export const deleteApplication = async (options: { prisma: TPrisma; actor: TActor; id: string }): Promise<void> => {
  await options.prisma.$transaction(async (tx) => {
    const before = await tx.application.findUnique({ where: { id: options.id } });
    if (!before) throw new AppError("NOT_FOUND", "That application no longer exists");
    await tx.application.delete({ where: { id: options.id } });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "application.delete", targetType: "Application", targetId: options.id, before });
  });
};
