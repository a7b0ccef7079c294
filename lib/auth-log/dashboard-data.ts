import type { TPrisma } from "../db";
import { listWorkers } from "../workers/list-workers";
import { readWorkerHealth, type TWorkerHealth } from "../workers/read-worker-health";
import { summarizeAuthEvents, type TAuthSummary } from "./summarize-auth-events";

export type TDashboardData = {
  day: TAuthSummary;
  week: TAuthSummary;
  workers: { id: string; hostname: string; address: string | null; configVersion: number; currentConfigVersion: number; upToDate: boolean; heartbeatAt: string; heartbeatAgeSec: number; alive: boolean; health: TWorkerHealth }[];
  generatedAt: string;
};

export const loadDashboardData = async (options: { prisma: TPrisma; now?: Date }): Promise<TDashboardData> => {
  const now = options.now ?? new Date();
  const [day, week, workers] = await Promise.all([
    summarizeAuthEvents({ prisma: options.prisma, since: new Date(now.getTime() - 24 * 3_600_000), bucket: "hour" }),
    summarizeAuthEvents({ prisma: options.prisma, since: new Date(now.getTime() - 7 * 86_400_000), bucket: "day" }),
    listWorkers({ prisma: options.prisma, now }),
  ]);
  return {
    day,
    week,
    workers: workers.map((worker) => ({ ...worker, heartbeatAt: worker.heartbeatAt.toISOString(), startedAt: undefined, stats: undefined, health: readWorkerHealth(worker.stats) })),
    generatedAt: now.toISOString(),
  };
};
