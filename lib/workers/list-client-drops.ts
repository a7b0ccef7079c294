import type { TPrisma } from "../db";
import { listWorkers } from "./list-workers";
import { readWorkerHealth, type TWorkerConfigProblem } from "./read-worker-health";

export type TClientWorkerView = {
  workerId: string;
  alive: boolean;
  heartbeatAgeSec: number;
  dropsTotal: number; // since that worker process started
  drops: { reason: string; count: number }[];
  problems: TWorkerConfigProblem[]; // about this client's row
};

// The RADIUS client page: per worker, how many of this client's requests it dropped and why (wrong secret, no
// Message-Authenticator…), and what its snapshot loader said about this client's row. Workers silent for a day are
// left out: their counters describe a past configuration.
export const listClientDrops = async (options: { prisma: TPrisma; clientId: string; now?: Date }): Promise<TClientWorkerView[]> => {
  const workers = await listWorkers({ prisma: options.prisma, now: options.now });
  return workers
    .filter((worker) => worker.heartbeatAgeSec <= 86_400)
    .map((worker) => {
      const health = readWorkerHealth(worker.stats);
      const entry = health.droppedByClient[options.clientId];
      return {
        workerId: worker.id,
        alive: worker.alive,
        heartbeatAgeSec: worker.heartbeatAgeSec,
        dropsTotal: entry?.total ?? 0,
        drops: Object.entries(entry?.reasons ?? {})
          .map(([reason, count]) => ({ reason, count }))
          .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
        problems: health.configProblems.filter((problem) => problem.rowId === options.clientId),
      };
    });
};
