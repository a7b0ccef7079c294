import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";

export type TAdminTotpReset = { adminId: string; email: string; hadTotp: boolean; disabled: boolean; sessionsEnded: number };

// The way back in when an admin (often the only owner) lost their authenticator: the TOTP seed is dropped and every
// session of theirs ends, so the next sign-in (password) leads to enrolling a new authenticator. A session someone
// else may hold does not survive the reset. The replay guard's last step belonged to the old seed and goes with it.
export const resetAdminTotp = async (options: { prisma: TPrisma; actor: TActor; email: string }): Promise<TAdminTotpReset> => {
  const email = options.email.trim().toLowerCase();
  return options.prisma.$transaction(async (tx) => {
    const before = await tx.admin.findUnique({ where: { email } });
    if (!before) throw new AppError("NOT_FOUND", `No administrator has the email ${email}`);
    await tx.admin.update({ where: { id: before.id }, data: { totpEnabled: false, totpSecret: null, totpLastStep: null } });
    const { count } = await tx.adminSession.deleteMany({ where: { adminId: before.id } });
    await recordAuditEvent({
      db: tx,
      actor: options.actor,
      action: "admin.totp_reset",
      targetType: "Admin",
      targetId: before.id,
      before: { email, totpEnabled: before.totpEnabled },
      after: { email, totpEnabled: false, sessionsEnded: count },
    });
    return { adminId: before.id, email, hadTotp: before.totpEnabled, disabled: before.disabled, sessionsEnded: count };
  });
};
