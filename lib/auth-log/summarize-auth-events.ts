import { z } from "zod";
import type { TPrisma } from "../db";
import { INTERMEDIATE_REASONS, NOT_LOGIN_REASONS } from "./reason-codes";

// Logins, not rounds: a challenge round is followed by the answer's own event, which is the outcome. Nor ACL downloads
// and CoA, which are no logins at all.
const EXCLUDED = [...INTERMEDIATE_REASONS, ...NOT_LOGIN_REASONS];
const OUTCOMES = `reason NOT IN (${EXCLUDED.map((reason) => `'${reason}'`).join(", ")})`;

export type TAuthSummary = {
  buckets: { start: string; accepted: number; rejected: number }[];
  byReason: { reason: string; result: string; count: number }[];
  topFailingUsers: { username: string; count: number }[];
  topFailingClients: { client: string; count: number }[];
  accepted: number;
  rejected: number;
};

// Logins, not events: a login that failed over to a second worker is logged by both under one `loginId` (the push
// request's id), and counts once; an event without one is its own login. Only events with a loginId are grouped, so
// the common case stays a plain aggregate over the time index. A login is accepted when any of its events is.
const LOGINS = `count(*) FILTER (WHERE "loginId" IS NULL) + count(DISTINCT "loginId")`;
const ZBucketRowSchema = z.object({ start: z.date(), accepted: z.coerce.number(), rejected: z.coerce.number() });
const ZReasonRowSchema = z.object({ reason: z.string(), result: z.string(), count: z.coerce.number() });
const ZKeyRowSchema = z.object({ key: z.string().nullable(), count: z.coerce.number() });

const topFailing = (prisma: TPrisma, column: "username" | "clientName", since: Date) =>
  prisma.$queryRawUnsafe<unknown[]>(
    `SELECT "${column}" AS key, ${LOGINS} AS count FROM "AuthEvent"
      WHERE "time" >= $1 AND result <> 'success' AND ${OUTCOMES} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5`,
    since,
  );

// Dashboard numbers come straight from SQL aggregates over the time index; hourly buckets for 24 h, daily for 7 d.
export const summarizeAuthEvents = async (options: { prisma: TPrisma; since: Date; bucket: "hour" | "day" }): Promise<TAuthSummary> => {
  const { prisma, since, bucket } = options;
  const [buckets, byReason, users, clients] = await Promise.all([
    prisma.$queryRawUnsafe<unknown[]>(
      `WITH logins AS (
         SELECT "time", result = 'success' AS ok FROM "AuthEvent" WHERE "time" >= $1 AND ${OUTCOMES} AND "loginId" IS NULL
         UNION ALL
         SELECT min("time"), bool_or(result = 'success') FROM "AuthEvent" WHERE "time" >= $1 AND ${OUTCOMES} AND "loginId" IS NOT NULL GROUP BY "loginId"
       )
       SELECT date_trunc('${bucket === "hour" ? "hour" : "day"}', "time") AS start,
              count(*) FILTER (WHERE ok) AS accepted,
              count(*) FILTER (WHERE NOT ok) AS rejected
         FROM logins GROUP BY 1 ORDER BY 1`,
      since,
    ),
    prisma.$queryRawUnsafe<unknown[]>(`SELECT reason, result::text AS result, ${LOGINS} AS count FROM "AuthEvent" WHERE "time" >= $1 GROUP BY 1, 2 ORDER BY 3 DESC`, since),
    topFailing(prisma, "username", since),
    topFailing(prisma, "clientName", since),
  ]);
  const filled = fillBuckets({ since, bucket, rows: z.array(ZBucketRowSchema).parse(buckets) });
  return {
    buckets: filled,
    byReason: z.array(ZReasonRowSchema).parse(byReason),
    topFailingUsers: z.array(ZKeyRowSchema).parse(users).map((row) => ({ username: row.key ?? "", count: row.count })),
    topFailingClients: z.array(ZKeyRowSchema).parse(clients).map((row) => ({ client: row.key ?? "(unknown)", count: row.count })),
    accepted: filled.reduce((sum, row) => sum + row.accepted, 0),
    rejected: filled.reduce((sum, row) => sum + row.rejected, 0),
  };
};

// Empty hours still get a bar of zero height so the chart's time axis is honest.
const fillBuckets = (options: { since: Date; bucket: "hour" | "day"; rows: { start: Date; accepted: number; rejected: number }[] }) => {
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
