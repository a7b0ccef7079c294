import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";
import { encryptSecret } from "../secrets/envelope";
import { generateSkey } from "./generate-keys";

// The old skey stops working immediately; the new one is returned once for the admin to copy.
export const rotateApplicationSkey = async (options: { prisma: TPrisma; actor: TActor; id: string }): Promise<{ skey: string }> => {
  const skey = generateSkey();
  await options.prisma.$transaction(async (tx) => {
    const updated = await tx.application.updateMany({ where: { id: options.id }, data: { skey: encryptSecret(skey) } });
    if (updated.count !== 1) throw new AppError("NOT_FOUND", "That application no longer exists");
    await recordAuditEvent({ db: tx, actor: options.actor, action: "application.rotate_skey", targetType: "Application", targetId: options.id, after: { skey: "rotated" } });
  });
  return { skey };
};
