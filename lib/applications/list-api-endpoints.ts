import { z } from "zod";
import type { TPrisma } from "../db";

// What a worker reports about its Duo-compatible API in its heartbeat (worker/api-server.ts stats()).
const ZApiStatsSchema = z.object({ api: z.object({ port: z.number().int().min(1).max(65535) }) });

export type TApiEndpoint = { workerId: string; host: string; port: number };

// The API host:port of every worker seen in the last `freshMs`, for the application page: TWOFOLD_WORKER_ADDRESSES
// names the hosts when set (what clients should reach), otherwise each worker's own host name.
export const listApiEndpoints = async (options: { prisma: TPrisma; configured?: string; now?: Date; freshMs?: number }): Promise<TApiEndpoint[]> => {
  const since = new Date((options.now ?? new Date()).getTime() - (options.freshMs ?? 60_000));
  const rows = await options.prisma.workerStatus.findMany({ where: { heartbeatAt: { gte: since } }, select: { id: true, hostname: true, stats: true }, orderBy: { id: "asc" } });
  const configured = (options.configured ?? "").split(",").map((item) => item.trim().replace(/:\d+$/, "")).filter(Boolean);
  const endpoints: TApiEndpoint[] = [];
  for (const row of rows) {
    const stats = ZApiStatsSchema.safeParse(row.stats);
    if (!stats.success) continue;
    for (const host of configured.length > 0 ? configured : [row.hostname]) endpoints.push({ workerId: row.id, host, port: stats.data.api.port });
  }
  return endpoints.filter((endpoint, index) => endpoints.findIndex((other) => other.host === endpoint.host && other.port === endpoint.port) === index);
};
