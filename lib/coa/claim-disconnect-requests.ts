import { z } from "zod";
import type { TPrisma } from "../db";

const ZClaimedSchema = z.array(z.object({ id: z.uuid() }));

// Takes every pending, unexpired Disconnect for this worker in one UPDATE: under concurrent claims PostgreSQL
// re-checks `status = 'pending'` on the locked row, so each request goes to exactly one worker, however many are
// woken by the same NOTIFY. The database's clock decides expiry (the console set expiresAt from it too).
export const claimDisconnectRequests = async (options: { prisma: Pick<TPrisma, "$queryRaw">; workerId: string }): Promise<string[]> => {
  const rows = await options.prisma.$queryRaw`
    UPDATE "DisconnectRequest" SET "status" = 'sending', "claimedBy" = ${options.workerId}, "claimedAt" = now()
    WHERE "status" = 'pending' AND "expiresAt" > now()
    RETURNING "id"::text AS "id"`;
  return ZClaimedSchema.parse(rows).map((row) => row.id);
};
