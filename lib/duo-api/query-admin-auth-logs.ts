import { ZAuthResultSchema } from "../auth-log/reason-codes";
import type { Prisma, TPrisma } from "../db";
import { DUO_TABLES, storedValues, ZAuthLogRowSchema, type TAuthLogRow } from "./to-duo-authlog";

// Intermediate rounds and non-login records are not authentications in Duo's sense: a SIEM would count them as
// failures.
const NOT_AUTHENTICATIONS = ["challenge_issued", "primary_challenge", "acl_download", "coa", "disconnect"];

export type TAdminAuthLogQuery = {
  mintime: Date;
  maxtime: Date;
  limit: number;
  sort: "desc" | "asc";
  after?: { time: Date; id: bigint }; // the previous page's last row (next_offset)
  users?: string[];
  applications?: string[]; // integration keys, as Duo filters
  results?: string[];
  reasons?: string[];
  factors?: string[];
};

// Keyset paging on the (time, id) index: a page deep into a million rows costs what the first one does.
export const queryAdminAuthLogs = async ({ prisma, query }: { prisma: TPrisma; query: TAdminAuthLogQuery }): Promise<{ rows: TAuthLogRow[]; next?: { time: Date; id: bigint } }> => {
  const filters: Prisma.AuthEventWhereInput[] = [{ time: { gte: query.mintime, lte: query.maxtime } }, { reason: { notIn: NOT_AUTHENTICATIONS } }];
  if (query.users?.length) filters.push({ userId: { in: query.users } });
  if (query.applications?.length) filters.push({ application: { ikey: { in: query.applications } } });
  if (query.results?.length) {
    const results = storedValues(DUO_TABLES.results, query.results).flatMap((value) => {
      const parsed = ZAuthResultSchema.safeParse(value);
      return parsed.success ? [parsed.data] : [];
    });
    filters.push({ result: { in: results } });
  }
  if (query.reasons?.length) filters.push({ reason: { in: storedValues(DUO_TABLES.reasons, query.reasons) } });
  if (query.factors?.length) filters.push({ factor: { in: storedValues(DUO_TABLES.factors, query.factors) } });
  const after = query.after;
  if (after && query.sort === "desc") filters.push({ time: { lte: after.time } }, { OR: [{ time: { lt: after.time } }, { id: { lt: after.id } }] });
  if (after && query.sort === "asc") filters.push({ time: { gte: after.time } }, { OR: [{ time: { gt: after.time } }, { id: { gt: after.id } }] });
  const found = await prisma.authEvent.findMany({
    where: { AND: filters },
    orderBy: [{ time: query.sort }, { id: query.sort }],
    take: query.limit + 1,
    select: { id: true, eventId: true, time: true, username: true, userId: true, callingStationId: true, nasIp: true, clientName: true, factor: true, result: true, reason: true, application: { select: { ikey: true, name: true } } },
  });
  const rows = found.slice(0, query.limit).map((row) => ZAuthLogRowSchema.parse(row));
  const last = rows.at(-1);
  return { rows, next: found.length > query.limit && last ? { time: last.time, id: last.id } : undefined };
};
