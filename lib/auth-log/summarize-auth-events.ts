import type { TPrisma } from "../db";
import { INTERMEDIATE_REASONS, NOT_LOGIN_REASONS } from "./reason-codes";

// Logins, not rounds: a challenge round is followed by the answer's own event, which is the outcome. Nor ACL downloads
// and CoA, which are no logins at all.
const EXCLUDED = [...INTERMEDIATE_REASONS, ...NOT_LOGIN_REASONS];
const OUTCOMES = `reason NOT IN (${EXCLUDED.map((reason) => `'${reason}'`).join(", ")})`;
const outcome = { reason: { notIn: EXCLUDED } };

export type TAuthSummary = {
  buckets: { start: string; accepted: number; rejected: number }[];
  byReason: { reason: string; result: string; count: number }[];
  topFailingUsers: { username: string; count: number }[];
  topFailingClients: { client: string; count: number }[];
  accepted: number;
  rejected: number;
};

// Dashboard numbers come straight from SQL aggregates over the time index; hourly buckets for 24 h, daily for 7 d.
export const summarizeAuthEvents = async (options: { prisma: TPrisma; since: Date; bucket: "hour" | "day" }): Promise<TAuthSummary> => {
  const { prisma, since, bucket } = options;
  const [buckets, byReason, users, clients] = await Promise.all([
    prisma.$queryRawUnsafe<{ start: Date; accepted: bigint; rejected: bigint }[]>(
      `SELECT date_trunc('${bucket === "hour" ? "hour" : "day"}', "time") AS start,
              count(*) FILTER (WHERE result = 'success') AS accepted,
              count(*) FILTER (WHERE result <> 'success') AS rejected
         FROM "AuthEvent" WHERE "time" >= $1 AND ${OUTCOMES} GROUP BY 1 ORDER BY 1`,
      since,
    ),
    prisma.authEvent.groupBy({ by: ["reason", "result"], where: { time: { gte: since } }, _count: { _all: true }, orderBy: { _count: { id: "desc" } } }),
    prisma.authEvent.groupBy({ by: ["username"], where: { time: { gte: since }, result: { not: "success" }, ...outcome }, _count: { _all: true }, orderBy: { _count: { id: "desc" } }, take: 5 }),
    prisma.authEvent.groupBy({ by: ["clientName"], where: { time: { gte: since }, result: { not: "success" }, ...outcome }, _count: { _all: true }, orderBy: { _count: { id: "desc" } }, take: 5 }),
  ]);
  const filled = fillBuckets({ since, bucket, rows: buckets });
  return {
    buckets: filled,
    byReason: byReason.map((row) => ({ reason: row.reason, result: row.result, count: row._count._all })),
    topFailingUsers: users.map((row) => ({ username: row.username, count: row._count._all })),
    topFailingClients: clients.map((row) => ({ client: row.clientName ?? "(unknown)", count: row._count._all })),
    accepted: filled.reduce((sum, row) => sum + row.accepted, 0),
    rejected: filled.reduce((sum, row) => sum + row.rejected, 0),
  };
};

// Empty hours still get a bar of zero height so the chart's time axis is honest.
const fillBuckets = (options: { since: Date; bucket: "hour" | "day"; rows: { start: Date; accepted: bigint; rejected: bigint }[] }) => {
  const step = options.bucket === "hour" ? 3_600_000 : 86_400_000;
  const byStart = new Map(options.rows.map((row) => [new Date(row.start).getTime(), row]));
  const first = Math.floor(options.since.getTime() / step) * step;
  const result: { start: string; accepted: number; rejected: number }[] = [];
  for (let start = first; start <= Date.now(); start += step) {
    const row = byStart.get(start);
    result.push({ start: new Date(start).toISOString(), accepted: Number(row?.accepted ?? 0), rejected: Number(row?.rejected ?? 0) });
  }
  return result;
};
