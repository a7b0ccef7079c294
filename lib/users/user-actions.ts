import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";

const load = async (prisma: TPrisma, id: string) => {
  const user = await prisma.user.findUnique({ where: { id } });
  if (!user) throw new AppError("NOT_FOUND", "That user no longer exists");
  return user;
};

// Unlock clears the failure counter too, or the next wrong code would lock the user again at once.
export const unlockUser = async (options: { prisma: TPrisma; actor: TActor; id: string }): Promise<void> => {
  const before = await load(options.prisma, options.id);
  await options.prisma.$transaction(async (tx) => {
    const after = await tx.user.update({
      where: { id: options.id },
      data: { status: before.status === "locked_out" ? "active" : before.status, failedAttempts: 0, lockedAt: null },
    });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "user.unlock", targetType: "User", targetId: options.id, before, after });
  });
};

export const deleteUser = async (options: { prisma: TPrisma; actor: TActor; id: string }): Promise<void> => {
  const before = await load(options.prisma, options.id);
  await options.prisma.$transaction(async (tx) => {
    await tx.user.delete({ where: { id: options.id } });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "user.delete", targetType: "User", targetId: options.id, before });
  });
};

export const removeAuthenticator = async (options: { prisma: TPrisma; actor: TActor; userId: string; authenticatorId: string }): Promise<void> => {
  await options.prisma.$transaction(async (tx) => {
    const before = await tx.authenticator.findFirst({ where: { id: options.authenticatorId, userId: options.userId } });
    if (!before) throw new AppError("NOT_FOUND", "That authenticator no longer exists");
    await tx.authenticator.delete({ where: { id: before.id } });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "user.remove_authenticator", targetType: "User", targetId: options.userId, before });
  });
};
