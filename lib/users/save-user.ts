import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { fieldError, parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { ZUserInputSchema } from "./schema";

// id undefined = create. Group membership is replaced as a whole, in the same transaction.
export const saveUser = async (options: { prisma: TPrisma; actor: TActor; id?: string; input: unknown }): Promise<{ id: string }> => {
  const { prisma, actor, id } = options;
  const { groupIds, ...input } = parseInput(ZUserInputSchema, options.input);
  const clash = await prisma.user.findUnique({ where: { username: input.username }, select: { id: true } });
  if (clash && clash.id !== id) throw fieldError("username", "A user with this username already exists");
  return prisma.$transaction(async (tx) => {
    const before = id ? await tx.user.findUnique({ where: { id }, include: { groups: { select: { groupId: true } } } }) : null;
    if (id && !before) throw new AppError("NOT_FOUND", "That user no longer exists");
    const data = { ...input, email: input.email ?? null, ...(input.status === "active" ? { failedAttempts: 0, lockedAt: null } : {}) };
    const user = id ? await tx.user.update({ where: { id }, data }) : await tx.user.create({ data });
    await tx.groupMember.deleteMany({ where: { userId: user.id } });
    if (groupIds.length > 0) await tx.groupMember.createMany({ data: groupIds.map((groupId) => ({ userId: user.id, groupId })) });
    await recordAuditEvent({
      db: tx, actor, action: id ? "user.update" : "user.create", targetType: "User", targetId: user.id,
      before: before ? { ...before, groups: undefined, groupIds: before.groups.map((group) => group.groupId) } : undefined,
      after: { ...user, groupIds },
    });
    return { id: user.id };
  });
};
