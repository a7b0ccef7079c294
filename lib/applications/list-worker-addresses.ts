import type { TPrisma } from "../db";

// TWOFOLD_WORKER_ADDRESSES (comma-separated, what the ASA should reach) wins; otherwise what running workers report.
export const listWorkerAddresses = async (options: { prisma: TPrisma; configured?: string }): Promise<string[]> => {
  const configured = (options.configured ?? "").split(",").map((item) => item.trim()).filter(Boolean);
  if (configured.length > 0) return configured;
  const rows = await options.prisma.workerStatus.findMany({ where: { address: { not: null } }, select: { address: true }, orderBy: { id: "asc" } });
  return [...new Set(rows.map((row) => (row.address ?? "").replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1")).filter(Boolean))];
};
