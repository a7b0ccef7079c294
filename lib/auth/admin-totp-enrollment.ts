import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { decryptSecret, encryptSecret } from "../secrets/envelope";
import { recordAuditEvent } from "../audit/record-audit-event";
import { generateAdminTotpSecret, verifyAdminTotp } from "./admin-totp";

// The pending secret lives on the admin row (encrypted, totpEnabled=false) until a code proves the phone has it.
export const beginAdminTotpEnrollment = async (options: { prisma: TPrisma; adminId: string }): Promise<{ secret: string }> => {
  const admin = await options.prisma.admin.findUniqueOrThrow({ where: { id: options.adminId }, omit: { totpSecret: false } });
  if (admin.totpEnabled) throw new AppError("CONFLICT", "Two-factor sign-in is already enabled for this account");
  if (admin.totpSecret) return { secret: decryptSecret(admin.totpSecret) };
  const secret = generateAdminTotpSecret();
  await options.prisma.admin.update({ where: { id: admin.id }, data: { totpSecret: encryptSecret(secret) } });
  return { secret };
};

export const confirmAdminTotpEnrollment = async (options: { prisma: TPrisma; adminId: string; sessionId: string; code: string }): Promise<void> => {
  const { prisma } = options;
  const admin = await prisma.admin.findUniqueOrThrow({ where: { id: options.adminId }, omit: { totpSecret: false } });
  if (admin.totpEnabled) throw new AppError("CONFLICT", "Two-factor sign-in is already enabled for this account");
  if (!admin.totpSecret || !verifyAdminTotp({ secret: decryptSecret(admin.totpSecret), code: options.code })) {
    throw new AppError("VALIDATION", "That code did not match", { fieldErrors: { code: ["That code did not match; check the phone's clock and try the current code"] } });
  }
  await prisma.$transaction(async (tx) => {
    await tx.admin.update({ where: { id: admin.id }, data: { totpEnabled: true } });
    await tx.adminSession.update({ where: { id: options.sessionId }, data: { mfaVerified: true } });
    await recordAuditEvent({ db: tx, actor: { adminId: admin.id, email: admin.email }, action: "admin.totp_enabled", targetType: "Admin", targetId: admin.id });
  });
};

export const verifyAdminSignInCode = async (options: { prisma: TPrisma; adminId: string; code: string }): Promise<void> => {
  const admin = await options.prisma.admin.findUnique({ where: { id: options.adminId }, omit: { totpSecret: false } });
  if (!admin || admin.disabled || !admin.totpEnabled || !admin.totpSecret) throw new AppError("UNAUTHORIZED", "Sign in again");
  if (!verifyAdminTotp({ secret: decryptSecret(admin.totpSecret), code: options.code })) {
    throw new AppError("VALIDATION", "That code did not match", { fieldErrors: { code: ["That code did not match"] } });
  }
};
