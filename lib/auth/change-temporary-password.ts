import { z } from "zod";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { ADMIN_PASSWORD_MIN_LENGTH, hashPassword, verifyPassword } from "./password";

const ZChangeTemporaryPasswordSchema = z
  .object({
    newPassword: z.string().min(ADMIN_PASSWORD_MIN_LENGTH, `Use at least ${ADMIN_PASSWORD_MIN_LENGTH} characters`).max(200, "At most 200 characters"),
    confirmPassword: z.string(),
  })
  .refine((value) => value.newPassword === value.confirmPassword, { path: ["confirmPassword"], message: "The two passwords differ" });

// An invited admin's first sign-in: the temporary password the inviter saw (and may have sent over chat) is replaced
// before any session exists. Conditional on the flag, so a replayed form cannot reset the password a second time.
export const changeTemporaryPassword = async (options: { prisma: TPrisma; adminId: string; input: unknown }): Promise<{ totpEnabled: boolean }> => {
  const input = parseInput(ZChangeTemporaryPasswordSchema, options.input);
  const admin = await options.prisma.admin.findUnique({ where: { id: options.adminId }, omit: { passwordHash: false } });
  if (!admin || admin.disabled || !admin.mustChangePassword) throw new AppError("UNAUTHORIZED", "Sign in again");
  if (await verifyPassword({ passwordHash: admin.passwordHash, password: input.newPassword })) {
    throw new AppError("VALIDATION", "Choose a password other than the temporary one", { fieldErrors: { newPassword: ["Choose a password other than the temporary one"] } });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await options.prisma.$transaction(async (tx) => {
    const updated = await tx.admin.updateMany({ where: { id: admin.id, mustChangePassword: true }, data: { passwordHash, mustChangePassword: false } });
    if (updated.count === 0) throw new AppError("UNAUTHORIZED", "Sign in again");
    await recordAuditEvent({ db: tx, actor: { adminId: admin.id, email: admin.email }, action: "admin.temporary_password_changed", targetType: "Admin", targetId: admin.id });
  });
  return { totpEnabled: admin.totpEnabled };
};
