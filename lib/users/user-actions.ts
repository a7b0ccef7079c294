import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";
import { lockUserRow } from "./lock-user-row";

type TTx = Parameters<Parameters<TPrisma["$transaction"]>[0]>[0];

const load = async (prisma: TPrisma | TTx, id: string) => {
  const user = await prisma.user.findUnique({ where: { id } });
  if (!user) throw new AppError("NOT_FOUND", "That user no longer exists");
  return user;
};

// Unlock clears the failure counter too, or the next wrong code would lock the user again at once. It lifts a lockout
// and nothing else: the row is read under its lock and each write is conditional on what it undoes, so an unlock
// racing a disable (or anything else that sets the status) never writes back a status it did not read here.
export const unlockUser = async (options: { prisma: TPrisma; actor: TActor; id: string }): Promise<{ before: string; after: string }> =>
  options.prisma.$transaction(async (tx) => {
    if (!(await lockUserRow({ tx, id: options.id }))) throw new AppError("NOT_FOUND", "That user no longer exists");
    const before = await load(tx, options.id);
    if (before.status === "locked_out") {
      await tx.user.updateMany({ where: { id: options.id, status: "locked_out" }, data: { status: "active", failedAttempts: 0, lockedAt: null } });
    } else if (before.failedAttempts > 0) {
      await tx.user.updateMany({ where: { id: options.id, failedAttempts: { gt: 0 } }, data: { failedAttempts: 0, lockedAt: null } });
    }
    const after = await load(tx, options.id);
    await recordAuditEvent({ db: tx, actor: options.actor, action: "user.unlock", targetType: "User", targetId: options.id, before, after });
    return { before: before.status, after: after.status };
  });

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
