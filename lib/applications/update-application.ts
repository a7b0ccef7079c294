import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { fieldError, parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { ZApplicationInputSchema } from "./schema";

export const updateApplication = async (options: { prisma: TPrisma; actor: TActor; id: string; input: unknown }): Promise<void> => {
  const { prisma, actor, id } = options;
  const input = parseInput(ZApplicationInputSchema, options.input);
  const before = await prisma.application.findUnique({ where: { id }, include: { permittedGroups: { select: { groupId: true } } } });
  if (!before) throw new AppError("NOT_FOUND", "That application no longer exists");
  const clash = await prisma.application.findUnique({ where: { name: input.name }, select: { id: true } });
  if (clash && clash.id !== id) throw fieldError("name", "An application with this name already exists");
  const { permittedGroupIds, ...fields } = input;
  await prisma.$transaction(async (tx) => {
    const after = await tx.application.update({ where: { id }, data: fields });
    await tx.applicationGroup.deleteMany({ where: { applicationId: id } });
    if (permittedGroupIds.length > 0) await tx.applicationGroup.createMany({ data: permittedGroupIds.map((groupId) => ({ applicationId: id, groupId })) });
    await recordAuditEvent({
      db: tx,
      actor,
      action: "application.update",
      targetType: "Application",
      targetId: id,
      before: { ...before, permittedGroups: undefined, permittedGroupIds: before.permittedGroups.map((group) => group.groupId) },
      after: { ...after, permittedGroupIds },
    });
  });
};
