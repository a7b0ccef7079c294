import type { TPrisma } from "../db";
import { generateToken, hashToken } from "../crypto/tokens";

const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

// While no owner exists, each start issues a fresh one-time link (older unused ones are revoked).
export const createSetupTokenIfNoAdmin = async (options: { prisma: TPrisma; now?: Date }): Promise<string | undefined> => {
  const { prisma } = options;
  const now = options.now ?? new Date();
  if ((await prisma.admin.count()) > 0) return undefined;
  const token = generateToken();
  await prisma.$transaction([
    prisma.setupToken.deleteMany({ where: { usedAt: null } }),
    prisma.setupToken.create({ data: { tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + SETUP_TOKEN_TTL_MS) } }),
  ]);
  return token;
};
