import { z } from "zod";
import type { TPrisma } from "../db";

const ZRowsSchema = z.array(z.object({ serverId: z.string() }));

// Which scheduled syncs are due, claimed in one statement: the first process to move a server's lastRunAt forward
// runs it, every other worker of the fleet sees it fresh and skips. (The apply itself also holds the per-server
// advisory lock, so a claimed run and the console's "sync now" never interleave.)
export const claimScheduledSyncs = async (options: { prisma: TPrisma; now: Date }): Promise<string[]> => {
  const rows = await options.prisma.$queryRawUnsafe<unknown[]>(
    `UPDATE "DirectorySync" SET "lastRunAt" = $1::timestamp
     WHERE "intervalMinutes" IS NOT NULL
       AND ("lastRunAt" IS NULL OR "lastRunAt" <= $1::timestamp - make_interval(mins => "intervalMinutes"))
     RETURNING "serverId"::text AS "serverId"`,
    options.now.toISOString().replace("Z", ""),
  );
  return ZRowsSchema.parse(rows).map((row) => row.serverId);
};
