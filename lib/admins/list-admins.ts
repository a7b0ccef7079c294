import type { TPrisma } from "../db";

export const listAdmins = (options: { prisma: TPrisma }) =>
  options.prisma.admin.findMany({
    orderBy: { email: "asc" },
    select: { id: true, email: true, name: true, role: true, disabled: true, totpEnabled: true, createdAt: true, lastLoginAt: true },
  });
