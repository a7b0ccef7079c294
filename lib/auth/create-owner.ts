import { z } from "zod";
import type { TPrisma } from "../db";
import { hashToken } from "../crypto/tokens";
import { AppError } from "../errors/app-error";
import { parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { TActor } from "./types";
import { ADMIN_PASSWORD_MIN_LENGTH, hashPassword } from "./password";

export const ZAdminCredentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address").max(200),
  name: z.string().trim().max(100).default(""),
  password: z.string().min(ADMIN_PASSWORD_MIN_LENGTH, `Use at least ${ADMIN_PASSWORD_MIN_LENGTH} characters`).max(200),
});

export const isSetupTokenUsable = async (options: { prisma: TPrisma; token: string | undefined; now?: Date }): Promise<boolean> => {
  if (!options.token) return false;
  const row = await options.prisma.setupToken.findUnique({ where: { tokenHash: hashToken(options.token) } });
  const now = options.now ?? new Date();
  return Boolean(row && !row.usedAt && row.expiresAt > now && (await options.prisma.admin.count()) === 0);
};

// The setup link creates exactly one owner: the token is consumed in the same transaction, and a second owner is refused.
// `actor`: who the audit log names (the CLI's create-owner says "cli"); by default the new owner, who used the link.
export const createOwner = async (options: { prisma: TPrisma; token: string; input: unknown; now?: Date; actor?: TActor }): Promise<{ adminId: string }> => {
  const { prisma } = options;
  const now = options.now ?? new Date();
  const input = parseInput(ZAdminCredentialsSchema, options.input);
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const consumed = await tx.setupToken.updateMany({
      where: { tokenHash: hashToken(options.token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (consumed.count !== 1 || (await tx.admin.count()) > 0) {
      throw new AppError("FORBIDDEN", "This setup link is no longer valid; restart Twofold to print a new one");
    }
    const admin = await tx.admin.create({ data: { email: input.email, name: input.name, passwordHash, role: "owner" } });
    await recordAuditEvent({
      db: tx,
      actor: options.actor ?? { adminId: admin.id, email: admin.email },
      action: "admin.setup_owner",
      targetType: "Admin",
      targetId: admin.id,
      after: { email: admin.email, role: admin.role },
    });
    return { adminId: admin.id };
  });
};
