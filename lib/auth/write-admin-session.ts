import type { TPrisma } from "../db";
import { generateToken, hashToken } from "../crypto/tokens";
import { SESSION_TTL_MS } from "./session-policy";

type TTx = Parameters<Parameters<TPrisma["$transaction"]>[0]>[0];

export type TAdminSessionOptions = { adminId: string; mfaVerified: boolean; ip?: string; userAgent?: string; now?: Date };
export type TAdminSessionGrant = { token: string; expiresAt: Date };

// The session row and the admin's last sign-in, inside a transaction the caller holds, so a grant that spends
// something first (a TOTP step: lib/auth/sign-in-with-admin-code.ts) commits both or neither. Returns the cookie
// token; only its sha256 reaches the database.
export const writeAdminSession = async (options: TAdminSessionOptions & { db: Pick<TTx, "adminSession" | "admin"> }): Promise<TAdminSessionGrant> => {
  const now = options.now ?? new Date();
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await options.db.adminSession.create({
    data: {
      tokenHash: hashToken(token),
      adminId: options.adminId,
      mfaVerified: options.mfaVerified,
      expiresAt,
      lastSeenAt: now,
      ip: options.ip,
      userAgent: options.userAgent?.slice(0, 300),
    },
  });
  await options.db.admin.update({ where: { id: options.adminId }, data: { lastLoginAt: now } });
  return { token, expiresAt };
};
