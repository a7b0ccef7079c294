import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { decryptSecret, encryptSecret } from "../secrets/envelope";
import { recordAuditEvent } from "../audit/record-audit-event";
import { generateAdminTotpSecret, verifyAdminTotp } from "./admin-totp";
import { claimAdminTotpStep } from "./claim-admin-totp-step";

// The pending secret lives on the admin row (encrypted, totpEnabled=false) until a code proves the phone has it.
export const beginAdminTotpEnrollment = async (options: { prisma: TPrisma; adminId: string }): Promise<{ secret: string }> => {
  const admin = await options.prisma.admin.findUniqueOrThrow({ where: { id: options.adminId }, omit: { totpSecret: false } });
  if (admin.totpEnabled) throw new AppError("CONFLICT", "Two-factor sign-in is already enabled for this account");
  if (admin.totpSecret) return { secret: decryptSecret(admin.totpSecret) };
  const secret = generateAdminTotpSecret();
  await options.prisma.admin.update({ where: { id: admin.id }, data: { totpSecret: encryptSecret(secret) } });
  return { secret };
};

const mismatch = () =>
  new AppError("VALIDATION", "That code did not match", { fieldErrors: { code: ["That code did not match; check the phone's clock and try the current code"] } });

// The confirming code's step is spent with the enabling, so the code shown while enrolling cannot also complete a
// sign-in (a second browser, or the same code again). Of two confirmations at once, exactly one enables.
export const confirmAdminTotpEnrollment = async (options: { prisma: TPrisma; adminId: string; sessionId: string; code: string; now?: Date }): Promise<void> => {
  const { prisma } = options;
  const admin = await prisma.admin.findUniqueOrThrow({ where: { id: options.adminId }, omit: { totpSecret: false } });
  if (admin.totpEnabled) throw new AppError("CONFLICT", "Two-factor sign-in is already enabled for this account");
  const totpSecret = admin.totpSecret;
  const step = totpSecret ? verifyAdminTotp({ secret: decryptSecret(totpSecret), code: options.code, now: options.now }) : undefined;
  if (!totpSecret || step === undefined) throw mismatch();
  const confirmed = await prisma.$transaction(async (tx) => {
    if (!(await claimAdminTotpStep({ db: tx, adminId: admin.id, step, totpSecret, purpose: "enrollment" }))) return false;
    await tx.admin.update({ where: { id: admin.id }, data: { totpEnabled: true } });
    await tx.adminSession.update({ where: { id: options.sessionId }, data: { mfaVerified: true } });
    await recordAuditEvent({ db: tx, actor: { adminId: admin.id, email: admin.email }, action: "admin.totp_enabled", targetType: "Admin", targetId: admin.id });
    return true;
  });
  if (!confirmed) throw mismatch();
};
