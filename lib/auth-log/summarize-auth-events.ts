import { z } from "zod";
import type { TPrisma } from "../db";
import { INTERMEDIATE_REASONS, NOT_LOGIN_REASONS } from "./reason-codes";

const list = (reasons: readonly string[]) => reasons.map((reason) => `'${reason}'`).join(", ");
const ROUNDS = list(INTERMEDIATE_REASONS);
const NOT_LOGINS = list(NOT_LOGIN_REASONS);

// "login": a login counted under the reason it ended with; "round": a login that never got past a round (unanswered,
// abandoned or still waiting); "not_login": an ACL download or CoA, counted per event.
export type TReasonKind = "login" | "round" | "not_login";

export type TAuthSummary = {
  buckets: { start: string; accepted: number; rejected: number }[];
  byReason: { reason: string; result: string; count: number; kind: TReasonKind }[];
  topFailingUsers: { username: string; count: number }[];
  topFailingClients: { client: string; count: number }[];
  accepted: number;
  rejected: number;
};

// Logins, not rounds, nor events. One login's events share a `loginId`: every round of a challenge login (the id is
// kept in its State, lib/second-factor/challenge-state.ts) and every worker's event for one push. An event without
// one is its own login. A login is accepted when any of its events is (bool_or: a wrong code then the right one is one
// accepted login; a login failed over to a second worker counts once), failed when it ended without success, and not
// counted at all while it has only rounds (challenge_issued, primary_challenge: nothing was decided). By reason, each
// login counts once under the reason it ended with: its success when it has one, otherwise its latest failure, so a
// failing reason never counts a login that got in. A wrong code that was followed by the right one shows only in the
// auth log, where every round keeps its own reason. ACL downloads and CoA are no logins and stay out of the totals.
// (Events logged before loginId was carried through rounds show their round on its own, as "round".)
// One statement, so the four views come from one pass over the window and agree with each other. (Measured on 160,000
// events over 7 days, a third of the logins in rounds: about as fast as the four separate aggregates it replaces; a window
// function with DISTINCT ON instead of GROUP BY was a third slower.)
const ROUND = `reason IN (${ROUNDS})`;
const FINAL = `ORDER BY ${ROUND}, result = 'success' DESC, "time" DESC`; // its success, else its latest failure, else its latest round
const SUMMARY = (bucket: "hour" | "day") => `
  WITH logins AS (
    SELECT "time", username, "clientName", reason, result::text AS result, result = 'success' AS ok, NOT ${ROUND} AS ended
      FROM "AuthEvent" WHERE "time" >= $1 AND reason NOT IN (${NOT_LOGINS}) AND "loginId" IS NULL
    UNION ALL
    SELECT min("time"), min(username), min("clientName"), (array_agg(reason ${FINAL}))[1], (array_agg(result::text ${FINAL}))[1],
           bool_or(result = 'success'), NOT bool_and(${ROUND})
      FROM "AuthEvent" WHERE "time" >= $1 AND reason NOT IN (${NOT_LOGINS}) AND "loginId" IS NOT NULL GROUP BY "loginId"
  ), top_users AS (
    SELECT username AS key, count(*) AS count FROM logins WHERE ended AND NOT ok GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5
  ), top_clients AS (
    SELECT "clientName" AS key, count(*) AS count FROM logins WHERE ended AND NOT ok GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5
  )
  SELECT
    (SELECT coalesce(json_agg(b ORDER BY b."startMs"), '[]') FROM (
       SELECT extract(epoch FROM date_trunc('${bucket}', "time")) * 1000 AS "startMs", count(*) FILTER (WHERE ok) AS accepted, count(*) FILTER (WHERE NOT ok) AS rejected
         FROM logins WHERE ended GROUP BY 1) b) AS buckets,
    (SELECT coalesce(json_agg(r ORDER BY r.count DESC, r.reason, r.result), '[]') FROM (
       SELECT reason, result, count(*) AS count FROM (
         SELECT reason, result FROM logins
         UNION ALL
         SELECT reason, result::text FROM "AuthEvent" WHERE "time" >= $1 AND reason IN (${NOT_LOGINS})
       ) rows GROUP BY 1, 2) r) AS "byReason",
    (SELECT coalesce(json_agg(u ORDER BY u.count DESC, u.key), '[]') FROM top_users u) AS users,
    (SELECT coalesce(json_agg(c ORDER BY c.count DESC, c.key), '[]') FROM top_clients c) AS clients`;

const ZCount = z.coerce.number().int().min(0);
const ZSummaryRowSchema = z.object({
  buckets: z.array(z.object({ startMs: z.coerce.number(), accepted: ZCount, rejected: ZCount })),
  byReason: z.array(z.object({ reason: z.string(), result: z.string(), count: ZCount })),
  users: z.array(z.object({ key: z.string().nullable(), count: ZCount })),
  clients: z.array(z.object({ key: z.string().nullable(), count: ZCount })),
});

const ROUND_REASONS = new Set<string>(INTERMEDIATE_REASONS);
const NOT_LOGIN_SET = new Set<string>(NOT_LOGIN_REASONS);
const kindOf = (reason: string): TReasonKind => (ROUND_REASONS.has(reason) ? "round" : NOT_LOGIN_SET.has(reason) ? "not_login" : "login");

// Dashboard numbers come straight from SQL aggregates over the time index; hourly buckets for 24 h, daily for 7 d.
export const summarizeAuthEvents = async (options: { prisma: TPrisma; since: Date; bucket: "hour" | "day" }): Promise<TAuthSummary> => {
  const { prisma, since, bucket } = options;
  const rows = await prisma.$queryRawUnsafe<unknown[]>(SUMMARY(bucket === "hour" ? "hour" : "day"), since);
  const row = ZSummaryRowSchema.parse(rows[0]);
  const filled = fillBuckets({ since, bucket, rows: row.buckets.map((b) => ({ start: new Date(b.startMs), accepted: b.accepted, rejected: b.rejected })) });
  return {
    buckets: filled,
    byReason: row.byReason.map((entry) => ({ ...entry, kind: kindOf(entry.reason) })),
    topFailingUsers: row.users.map((entry) => ({ username: entry.key ?? "", count: entry.count })),
    topFailingClients: row.clients.map((entry) => ({ client: entry.key ?? "(unknown)", count: entry.count })),
    accepted: filled.reduce((sum, entry) => sum + entry.accepted, 0),
    rejected: filled.reduce((sum, entry) => sum + entry.rejected, 0),
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
