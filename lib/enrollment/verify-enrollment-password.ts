import { verifyPassword } from "../auth/password";
import type { TPrisma } from "../db";

// Proves the visitor is the user the link was made for, with the same primary credentials as their application.
// Returns "unavailable" (not false) when the configured primary cannot be reached, so the page says so honestly.
export type TVerifyEnrollmentPassword = (options: { userId: string; username: string; password: string }) => Promise<boolean | "unavailable">;

// Local users (argon2id hash in Twofold) are verified here. Directory or RADIUS primaries are supplied by the caller
// through `external` (the worker-side dispatch), tried only for users without a local password.
export const createEnrollmentPasswordVerifier = ({ prisma, external }: { prisma: TPrisma; external?: TVerifyEnrollmentPassword }): TVerifyEnrollmentPassword =>
  async ({ userId, username, password }) => {
    const user = await prisma.user.findUnique({ where: { id: userId }, omit: { passwordHash: false } });
    if (user?.passwordHash) return verifyPassword({ passwordHash: user.passwordHash, password });
    if (external) return external({ userId, username, password });
    return "unavailable";
  };
