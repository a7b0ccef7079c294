import { hostname } from "node:os";
import type { TPrisma } from "../lib/db";

// WorkerStatus row: which config version this worker serves and when it last said so (the console shows both).
// listen: what the console's ASA snippet needs (the ports served, the addresses a NAS can reach).
export const startHeartbeat = (options: { prisma: TPrisma; workerId: string; address?: string; listen?: { authPort: number; acctPort: number; reachableAddresses: string[] }; intervalMs: number; configVersion: () => number; stats: () => unknown; log: (line: string) => void }) => {
  const startedAt = new Date();
  let failing = false;
  const beat = async () => {
    const data = {
      hostname: hostname(),
      address: options.address ?? null,
      configVersion: BigInt(options.configVersion()),
      heartbeatAt: new Date(),
      stats: JSON.parse(JSON.stringify(options.stats())),
      ...(options.listen ?? {}),
    };
    try {
      await options.prisma.workerStatus.upsert({ where: { id: options.workerId }, create: { id: options.workerId, startedAt, ...data }, update: data });
      if (failing) options.log("heartbeat: database reachable again");
      failing = false;
    } catch (error) {
      if (!failing) options.log(`heartbeat: ${error instanceof Error ? error.message : String(error)}`);
      failing = true;
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), options.intervalMs);
  timer.unref();
  return { beat, stop: () => clearInterval(timer) };
};
