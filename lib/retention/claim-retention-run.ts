import { z } from "zod";
import type { TPrisma } from "../db";

export const RETENTION_SETTING_KEY = "retention.lastRunAt";

const ZClaimSchema = z.array(z.object({ key: z.string() }));

// One statement decides which process prunes today: the first to move the shared timestamp forward by a day wins,
// every other worker (on this host or another) sees a fresh timestamp and does nothing.
export const claimRetentionRun = async (options: { prisma: TPrisma; now: Date; everyMs: number }): Promise<boolean> => {
  const rows = await options.prisma.$queryRawUnsafe<unknown[]>(
    `INSERT INTO "Setting" (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value WHERE "Setting".value::timestamptz <= $3::timestamptz
     RETURNING key`,
    RETENTION_SETTING_KEY,
    options.now.toISOString(),
    new Date(options.now.getTime() - options.everyMs).toISOString(),
  );
  return ZClaimSchema.parse(rows).length === 1;
};
