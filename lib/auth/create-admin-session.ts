import type { TPrisma } from "../db";
import { generateToken, hashToken } from "../crypto/tokens";
import { SESSION_TTL_MS } from "./session-policy";

// Returns the cookie token; only its sha256 reaches the database.
export const createAdminSession = async (options: {
  prisma: TPrisma;
  adminId: string;
  mfaVerified: boolean;
  ip?: string;
  userAgent?: string;
  now?: Date;
}): Promise<{ token: string; expiresAt: Date }> => {
  const now = options.now ?? new Date();
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await options.prisma.$transaction([
    options.prisma.adminSession.create({
      data: {
        tokenHash: hashToken(token),
        adminId: options.adminId,
        mfaVerified: options.mfaVerified,
        expiresAt,
        lastSeenAt: now,
        ip: options.ip,
        userAgent: options.userAgent?.slice(0, 300),
      },
    }),
    options.prisma.admin.update({ where: { id: options.adminId }, data: { lastLoginAt: now } }),
  ]);
  return { token, expiresAt };
};
