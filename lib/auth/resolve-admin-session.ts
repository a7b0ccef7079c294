import type { TPrisma } from "../db";
import { hashToken } from "../crypto/tokens";
import { SESSION_IDLE_MS, SESSION_TOUCH_MS } from "./session-policy";
import type { TAdminSession } from "./types";

// Expired, idle or disabled-admin sessions are deleted on sight so they cannot be revived.
export const resolveAdminSession = async (options: { prisma: TPrisma; token: string | undefined; now?: Date }): Promise<TAdminSession | undefined> => {
  const { prisma, token } = options;
  if (!token) return undefined;
  const now = options.now ?? new Date();
  const row = await prisma.adminSession.findUnique({ where: { tokenHash: hashToken(token) }, include: { admin: true } });
  if (!row) return undefined;
  const idle = now.getTime() - row.lastSeenAt.getTime() > SESSION_IDLE_MS;
  if (row.expiresAt <= now || idle || row.admin.disabled) {
    await prisma.adminSession.deleteMany({ where: { id: row.id } });
    return undefined;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > SESSION_TOUCH_MS) {
    await prisma.adminSession.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  return {
    sessionId: row.id,
    adminId: row.adminId,
    email: row.admin.email,
    name: row.admin.name,
    role: row.admin.role,
    mfaVerified: row.mfaVerified,
    totpEnabled: row.admin.totpEnabled,
  };
};
