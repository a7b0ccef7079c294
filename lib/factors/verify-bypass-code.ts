import type { TPrisma } from "../db";
import type { TFactorDb } from "./factor-db";
import { hashBypassCode } from "./hash-bypass-code";

export type TVerifyBypassCodeOptions = { prisma: Pick<TFactorDb, "bypassCode">; userId: string; code: string; now: Date };

// One conditional UPDATE consumes a use: two workers given the last use of a code at once cannot both succeed.
export const verifyBypassCode = async ({ prisma, userId, code, now }: TVerifyBypassCodeOptions): Promise<boolean> => {
  const used = await prisma.bypassCode.updateMany({
    where: { userId, codeHash: hashBypassCode(code), remainingUses: { gt: 0 }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    data: { remainingUses: { decrement: 1 } },
  });
  return used.count > 0;
};

export type THasUsableBypassCodesOptions = { prisma: TPrisma; userId: string; now: Date };

export const hasUsableBypassCodes = async ({ prisma, userId, now }: THasUsableBypassCodesOptions): Promise<boolean> =>
  (await prisma.bypassCode.count({ where: { userId, remainingUses: { gt: 0 }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } })) > 0;
