import type { TPrisma } from "../db";
import { generateToken, hashToken } from "../crypto/tokens";

type TTx = Parameters<Parameters<TPrisma["$transaction"]>[0]>[0];

const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

// While no owner exists, each start issues a fresh one-time link (older unused ones are revoked). onCreated runs in the
// same transaction (the CLI's audit row), so a link is never left without it.
export const createSetupTokenIfNoAdmin = async (options: {
  prisma: TPrisma;
  now?: Date;
  onCreated?: (options: { tx: TTx; id: string; expiresAt: Date }) => Promise<void>;
}): Promise<string | undefined> => {
  const { prisma } = options;
  const now = options.now ?? new Date();
  if ((await prisma.admin.count()) > 0) return undefined;
  const token = generateToken();
  await prisma.$transaction(async (tx) => {
    await tx.setupToken.deleteMany({ where: { usedAt: null } });
    const row = await tx.setupToken.create({ data: { tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + SETUP_TOKEN_TTL_MS) }, select: { id: true, expiresAt: true } });
    await options.onCreated?.({ tx, ...row });
  });
  return token;
};
