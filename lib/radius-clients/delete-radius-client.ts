import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";

export const deleteRadiusClient = async (options: { prisma: TPrisma; actor: TActor; id: string }): Promise<void> => {
  const { prisma, actor, id } = options;
  await prisma.$transaction(async (tx) => {
    const before = await tx.radiusClient.findUnique({ where: { id } });
    if (!before) throw new AppError("NOT_FOUND", "That RADIUS client no longer exists");
    await tx.radiusClient.delete({ where: { id } });
    await recordAuditEvent({ db: tx, actor, action: "radius_client.delete", targetType: "RadiusClient", targetId: id, before });
  });
};
