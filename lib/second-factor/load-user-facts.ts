import type { TPrisma } from "../db";
import type { TUserFacts } from "../policy/decision-types";
import { hasUsableBypassCodes } from "../factors/verify-bypass-code";

export type TLoadUserFactsOptions = { prisma: TPrisma; username: string; now: Date };

// The user as the pure decision needs it: status, lockout counters, authenticators (secrets stay omitted).
export const loadUserFacts = async ({ prisma, username, now }: TLoadUserFactsOptions): Promise<TUserFacts | null> => {
  const row = await prisma.user.findUnique({
    where: { username },
    select: {
      id: true,
      status: true,
      failedAttempts: true,
      lockedAt: true,
      authenticators: { select: { id: true, kind: true, name: true, active: true }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!row) return null;
  return { ...row, hasBypassCodes: await hasUsableBypassCodes({ prisma, userId: row.id, now }) };
};
