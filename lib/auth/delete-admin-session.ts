import type { TPrisma } from "../db";
import { hashToken } from "../crypto/tokens";

export const deleteAdminSession = async (options: { prisma: TPrisma; token: string | undefined }): Promise<void> => {
  if (!options.token) return;
  await options.prisma.adminSession.deleteMany({ where: { tokenHash: hashToken(options.token) } });
};
