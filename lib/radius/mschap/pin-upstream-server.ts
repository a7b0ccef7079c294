import { z } from "zod";
import type { TPrisma } from "../../db";

// After E=648 the NAS sends the password change as a new request without State, possibly to another Twofold worker
// (an ASA failing over): the server that asked for the change is remembered here, bound like a State to the RADIUS
// client and the normalized typed name, for the challenge timeout. Not single use: a retransmit or a second try of
// the change must reach the same server.
export type TUpstreamPinKey = { prisma: TPrisma; clientId: string; username: string; now: Date };

export const pinUpstreamServer = async ({ prisma, clientId, username, now, serverId, ttlSec }: TUpstreamPinKey & { serverId: string; ttlSec: number }): Promise<void> => {
  // Times as epoch milliseconds, stored in UTC like Prisma's own columns: no driver-side zone guessing.
  const expiresMs = now.getTime() + ttlSec * 1000;
  await prisma.$executeRaw`
    INSERT INTO "UpstreamPin" ("clientId", username, "serverId", "expiresAt")
    VALUES (${clientId}::uuid, ${username}, ${serverId}::uuid, to_timestamp(${expiresMs}::float8 / 1000) AT TIME ZONE 'UTC')
    ON CONFLICT ("clientId", username) DO UPDATE SET "serverId" = EXCLUDED."serverId", "expiresAt" = EXCLUDED."expiresAt"`;
  await prisma.$executeRaw`DELETE FROM "UpstreamPin" WHERE "expiresAt" < to_timestamp(${now.getTime() - 60_000}::float8 / 1000) AT TIME ZONE 'UTC'`;
};

const ZPinRowSchema = z.object({ serverId: z.string() });

export const findPinnedUpstreamServer = async ({ prisma, clientId, username, now }: TUpstreamPinKey): Promise<string | undefined> => {
  const rows = await prisma.$queryRaw<unknown[]>`
    SELECT "serverId"::text AS "serverId" FROM "UpstreamPin" WHERE "clientId" = ${clientId}::uuid AND username = ${username}
      AND "expiresAt" > to_timestamp(${now.getTime()}::float8 / 1000) AT TIME ZONE 'UTC'`;
  const row = ZPinRowSchema.safeParse(rows[0]);
  return row.success ? row.data.serverId : undefined;
};
