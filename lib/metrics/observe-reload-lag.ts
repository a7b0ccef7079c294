import type { TConfigSnapshot } from "../config/snapshot-schema";
import type { TPrisma } from "../db";
import type { TWorkerMetrics } from "./create-worker-metrics";

// Reload lag: from the commit that bumped the version (ConfigVersion.updatedAt, the database's clock) to this worker
// serving it. One small read per reload, never on the request path; a version already superseded is not measured
// (its timestamp is gone), nor one the read fails for.
export const observeReloadLag = async (options: { prisma: TPrisma; snapshot: TConfigSnapshot; metrics: Pick<TWorkerMetrics, "configReloaded">; now?: () => number }): Promise<void> => {
  const servedAt = (options.now ?? Date.now)();
  const row = await options.prisma.configVersion.findUnique({ where: { id: 1 } }).catch(() => null);
  if (!row || Number(row.version) !== options.snapshot.version) return;
  options.metrics.configReloaded((servedAt - row.updatedAt.getTime()) / 1000);
};
