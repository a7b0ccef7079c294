import { isIP } from "node:net";
import { z } from "zod";
import type { TPrisma } from "../db";

// What a worker reports about its Duo-compatible API in its heartbeat (worker/api-server.ts stats()):
// certificateNames only for the certificate it generated (a configured one is the admin's, its names unknown here).
const ZApiStatsSchema = z.object({ api: z.object({ port: z.number().int().min(1).max(65535), certificateNames: z.array(z.string()).optional() }) });

// inCertificate: whether that worker's generated certificate names the host (undefined: a configured certificate).
export type TApiEndpoint = { workerId: string; host: string; port: number; inCertificate?: boolean };

// "api.example:8443" → "api.example", "[2001:db8::1]:8443" → "2001:db8::1"; a bare IPv6 address has no port to strip.
const hostOf = (entry: string): string => {
  const text = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](:\d+)?$/.exec(text);
  if (bracketed?.[1]) return bracketed[1];
  return isIP(text) === 6 ? text : text.replace(/:\d+$/, "");
};

// As a client matches it: exactly, or one label under a "*." name.
const named = (names: readonly string[], host: string): boolean =>
  names.some((name) => name === host || (name.startsWith("*.") && host.endsWith(name.slice(1)) && !host.slice(0, -name.length + 1).includes(".")));

// The API host:port of every worker seen in the last `freshMs`, for the application page: TWOFOLD_WORKER_ADDRESSES
// names the hosts when set (what clients should reach), otherwise each worker's own host name.
export const listApiEndpoints = async (options: { prisma: TPrisma; configured?: string; now?: Date; freshMs?: number }): Promise<TApiEndpoint[]> => {
  const since = new Date((options.now ?? new Date()).getTime() - (options.freshMs ?? 60_000));
  const rows = await options.prisma.workerStatus.findMany({ where: { heartbeatAt: { gte: since } }, select: { id: true, hostname: true, stats: true }, orderBy: { id: "asc" } });
  const configured = (options.configured ?? "").split(",").map(hostOf).filter(Boolean);
  const endpoints: TApiEndpoint[] = [];
  for (const row of rows) {
    const stats = ZApiStatsSchema.safeParse(row.stats);
    if (!stats.success) continue;
    const names = stats.data.api.certificateNames?.map((name) => name.toLowerCase());
    for (const host of configured.length > 0 ? configured : [row.hostname]) {
      endpoints.push({ workerId: row.id, host, port: stats.data.api.port, ...(names ? { inCertificate: named(names, host) } : {}) });
    }
  }
  return endpoints.filter((endpoint, index) => endpoints.findIndex((other) => other.host === endpoint.host && other.port === endpoint.port) === index);
};
