import type { TPrisma } from "../db";
import { ZWorkerStatsSchema, type TWorkerStats } from "./record-heartbeat";

export type TWorkerSummary = {
  id: string;
  hostname: string;
  address: string | null;
  configVersion: number;
  currentConfigVersion: number;
  upToDate: boolean; // serving the version the database holds now
  startedAt: Date;
  heartbeatAt: Date;
  heartbeatAgeSec: number;
  alive: boolean; // heartbeat seen within `staleAfterSec`
  stats: TWorkerStats;
};

// For the console's worker panel: newest heartbeat first, each worker's liveness and config lag.
export const listWorkers = async (options: { prisma: TPrisma; now?: Date; staleAfterSec?: number }): Promise<TWorkerSummary[]> => {
  const now = options.now ?? new Date();
  const staleAfterSec = options.staleAfterSec ?? 30;
  const [rows, version] = await Promise.all([
    options.prisma.workerStatus.findMany({ orderBy: [{ heartbeatAt: "desc" }, { id: "asc" }] }),
    options.prisma.configVersion.findUnique({ where: { id: 1 } }),
  ]);
  const currentConfigVersion = Number(version?.version ?? 0);
  return rows.map((row) => {
    const heartbeatAgeSec = Math.max(0, Math.round((now.getTime() - row.heartbeatAt.getTime()) / 1000));
    const stats = ZWorkerStatsSchema.safeParse(row.stats);
    return {
      id: row.id,
      hostname: row.hostname,
      address: row.address,
      configVersion: Number(row.configVersion),
      currentConfigVersion,
      upToDate: Number(row.configVersion) >= currentConfigVersion,
      startedAt: row.startedAt,
      heartbeatAt: row.heartbeatAt,
      heartbeatAgeSec,
      alive: heartbeatAgeSec <= staleAfterSec,
      stats: stats.success ? stats.data : {},
    };
  });
};
