import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { fieldError, parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { hashPassword } from "../auth/password";

const ZRole = z.enum(["owner", "admin", "helpdesk", "readonly"], "Choose a role");

export const ZInviteAdminSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address").max(200),
  name: z.string().trim().max(100).default(""),
  role: ZRole,
});

// The invitee gets a one-time temporary password (shown once to the inviting owner); at first sign-in they must
// replace it (lib/auth/change-temporary-password.ts), and having no TOTP yet, the console lets them look but not
// change anything until they enroll one.
export const inviteAdmin = async (options: { prisma: TPrisma; actor: TActor; input: unknown }): Promise<{ id: string; temporaryPassword: string }> => {
  const input = parseInput(ZInviteAdminSchema, options.input);
  if (await options.prisma.admin.findUnique({ where: { email: input.email }, select: { id: true } })) throw fieldError("email", "An admin with this email already exists");
  const temporaryPassword = randomBytes(15).toString("base64url");
  const passwordHash = await hashPassword(temporaryPassword);
  const admin = await options.prisma.$transaction(async (tx) => {
    const created = await tx.admin.create({ data: { ...input, passwordHash, mustChangePassword: true } });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "admin.invite", targetType: "Admin", targetId: created.id, after: { email: created.email, role: created.role } });
    return created;
  });
  return { id: admin.id, temporaryPassword };
};

// The last active owner cannot be demoted or disabled: somebody must always be able to manage admins.
export const updateAdmin = async (options: { prisma: TPrisma; actor: TActor; id: string; input: { role?: unknown; disabled?: unknown } }): Promise<void> => {
  const role = options.input.role === undefined ? undefined : parseInput(ZRole, options.input.role);
  const disabled = options.input.disabled === undefined ? undefined : options.input.disabled === true || options.input.disabled === "true";
  await options.prisma.$transaction(async (tx) => {
    const before = await tx.admin.findUnique({ where: { id: options.id } });
    if (!before) throw new AppError("NOT_FOUND", "That admin no longer exists");
    const losesOwner = before.role === "owner" && !before.disabled && ((role && role !== "owner") || disabled === true);
    if (losesOwner && (await tx.admin.count({ where: { role: "owner", disabled: false } })) <= 1) {
      throw new AppError("CONFLICT", "This is the last active owner; make someone else owner first");
    }
    const after = await tx.admin.update({ where: { id: options.id }, data: { ...(role ? { role } : {}), ...(disabled === undefined ? {} : { disabled }) } });
    // Role or status changes take effect now, not at the next sign-in.
    if (disabled || (role && role !== before.role)) await tx.adminSession.deleteMany({ where: { adminId: options.id } });
    await recordAuditEvent({ db: tx, actor: options.actor, action: "admin.update", targetType: "Admin", targetId: options.id, before, after });
  });
};
