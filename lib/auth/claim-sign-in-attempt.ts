import { z } from "zod";
import type { TPrisma } from "../db";

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const SIGN_IN_MAX_FAILURES = 8;

export type TSignInClaim = { ok: true } | { ok: false; retryAfterMs: number };

const ZThrottleRowSchema = z.object({ key: z.string(), failures: z.number().int(), windowStart: z.date() });

// One sign-in attempt is claimed on every key before the password (or code) is checked: the claim is the failure
// counted in advance. The keys' rows are locked in one order (FOR UPDATE, sorted), so concurrent attempts on any
// number of console processes are serialized and a burst gets at most SIGN_IN_MAX_FAILURES checks per key and
// window — the rest are refused unchecked. A refused attempt claims nothing, so being throttled on one key (the
// address) does not spend another's (the account's) budget.
export const claimSignInAttempt = async (options: { prisma: TPrisma; keys: string[]; now?: Date }): Promise<TSignInClaim> => {
  const now = options.now ?? new Date();
  const keys = [...new Set(options.keys)].sort();
  const windowFloor = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  return options.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO "SignInThrottle" ("key", "failures", "windowStart") SELECT k, 0, ${now} FROM unnest(${keys}::text[]) AS k ON CONFLICT ("key") DO NOTHING`;
    const rows = z.array(ZThrottleRowSchema).parse(await tx.$queryRaw`SELECT "key", "failures", "windowStart" FROM "SignInThrottle" WHERE "key" = ANY(${keys}::text[]) ORDER BY "key" FOR UPDATE`);
    const full = rows.filter((row) => row.windowStart > windowFloor && row.failures >= SIGN_IN_MAX_FAILURES);
    if (full.length > 0) return { ok: false, retryAfterMs: Math.max(...full.map((row) => row.windowStart.getTime() + SIGN_IN_WINDOW_MS - now.getTime())) };
    await tx.$executeRaw`
      UPDATE "SignInThrottle" SET
        "failures" = CASE WHEN "windowStart" <= ${windowFloor} THEN 1 ELSE "failures" + 1 END,
        "windowStart" = CASE WHEN "windowStart" <= ${windowFloor} THEN ${now} ELSE "windowStart" END
      WHERE "key" = ANY(${keys}::text[])`;
    return { ok: true };
  });
};

// A correct attempt gives its claim back: the account's (or browser's) run of failures ends, and a shared address
// is not charged for a colleague's successful sign-in. Old rows are swept here so the table stays small.
export const releaseSignInAttempt = async (options: { prisma: TPrisma; resetKeys: string[]; refundKeys: string[]; now?: Date }): Promise<void> => {
  const now = options.now ?? new Date();
  await options.prisma.$executeRaw`UPDATE "SignInThrottle" SET "failures" = 0 WHERE "key" = ANY(${options.resetKeys}::text[])`;
  await options.prisma.$executeRaw`UPDATE "SignInThrottle" SET "failures" = GREATEST("failures" - 1, 0) WHERE "key" = ANY(${options.refundKeys}::text[])`;
  await options.prisma.$executeRaw`DELETE FROM "SignInThrottle" WHERE "windowStart" < ${new Date(now.getTime() - 2 * SIGN_IN_WINDOW_MS)}`;
};
