import type { TPrisma } from "../db";

export type TLiveSession = {
  id: string;
  clientName: string;
  nasAddress: string;
  acctSessionId: string;
  framedIp: string | null;
  callingStationId: string | null;
  startedAt: Date;
  updatedAt: Date;
};

// A user's sessions that accounting opened and has not closed (Start without Stop), newest first. Matched by the
// normalized name the accounting record was stored under, which is how the user row is named too.
export const listLiveSessions = async (options: { prisma: TPrisma; username: string; take?: number }): Promise<TLiveSession[]> => {
  const rows = await options.prisma.radiusSession.findMany({
    where: { userKey: options.username, stoppedAt: null },
    include: { radiusClient: { select: { name: true } } },
    orderBy: { startedAt: "desc" },
    take: options.take ?? 50,
  });
  return rows.map((row) => ({
    id: row.id,
    clientName: row.radiusClient.name,
    nasAddress: row.nasAddress,
    acctSessionId: row.acctSessionId,
    framedIp: row.framedIp,
    callingStationId: row.callingStationId,
    startedAt: row.startedAt,
    updatedAt: row.updatedAt,
  }));
};
