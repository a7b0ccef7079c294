import { z } from "zod";
import type { TPrisma } from "../db";

// Counters as the worker reports them; nested objects allowed (e.g. { dropped: { unknown_client: 3 }, authLog: {...} }).
export const ZWorkerStatsSchema = z.record(z.string(), z.json());
export type TWorkerStats = z.infer<typeof ZWorkerStatsSchema>;

export const ZHeartbeatSchema = z.object({
  workerId: z.string().min(1).max(200),
  hostname: z.string().min(1),
  address: z.string().nullish(),
  configVersion: z.number().int().min(0),
  startedAt: z.date(),
  stats: ZWorkerStatsSchema.optional(), // counters such as { accepted, rejected, dropped_unknown_client, ... }
});
export type THeartbeat = z.infer<typeof ZHeartbeatSchema>;

// Each worker upserts its row every few seconds; the console shows version served and heartbeat age.
export const recordHeartbeat = async (options: { prisma: TPrisma; now?: Date } & THeartbeat): Promise<void> => {
  const input = ZHeartbeatSchema.parse(options);
  const fields = {
    hostname: input.hostname,
    address: input.address ?? null,
    configVersion: BigInt(input.configVersion),
    startedAt: input.startedAt,
    heartbeatAt: options.now ?? new Date(),
    stats: input.stats ?? {},
  };
  await options.prisma.workerStatus.upsert({ where: { id: input.workerId }, create: { id: input.workerId, ...fields }, update: fields });
};
