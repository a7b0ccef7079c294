import { z } from "zod";
import type { Prisma, TPrisma } from "../db";

const blank = (value: unknown) => (value === "" || value === null ? undefined : value);

export const ZAuthEventFilterSchema = z.object({
  user: z.preprocess(blank, z.string().trim().max(200).optional()),
  userId: z.preprocess(blank, z.uuid().optional()),
  applicationId: z.preprocess(blank, z.uuid().optional()),
  client: z.preprocess(blank, z.string().trim().max(200).optional()),
  result: z.preprocess(blank, z.enum(["success", "failure", "error", "fraud"]).optional()),
  reason: z.preprocess(blank, z.string().trim().max(100).optional()),
  from: z.preprocess(blank, z.coerce.date().optional()),
  to: z.preprocess(blank, z.coerce.date().optional()),
});
export type TAuthEventFilter = z.infer<typeof ZAuthEventFilterSchema>;

// Cursor = the last row's (time, id): "older than this" is a range scan on the (time desc, id desc) index, so page
// 10,000 costs the same as page 1, unlike OFFSET.
export type TAuthEventCursor = { time: Date; id: bigint };
export const encodeCursor = (cursor: TAuthEventCursor): string => `${cursor.time.toISOString()}_${cursor.id}`;
export const decodeCursor = (text: string | undefined): TAuthEventCursor | undefined => {
  const match = text?.match(/^(\d{4}-\d\d-\d\dT[\d:.]+Z)_(\d+)$/);
  return match?.[1] && match[2] ? { time: new Date(match[1]), id: BigInt(match[2]) } : undefined;
};

export const authEventWhere = (filter: TAuthEventFilter): Prisma.AuthEventWhereInput => ({
  // The normalized username only: it has the (username, time, id) index; the raw form is shown in each row.
  ...(filter.user ? { username: filter.user.toLowerCase() } : {}),
  ...(filter.userId ? { userId: filter.userId } : {}),
  ...(filter.applicationId ? { applicationId: filter.applicationId } : {}),
  ...(filter.client ? { clientName: filter.client } : {}),
  ...(filter.result ? { result: filter.result } : {}),
  ...(filter.reason ? { reason: filter.reason } : {}),
  ...(filter.from || filter.to ? { time: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {}),
});

export const queryAuthEvents = async (options: { prisma: TPrisma; filter: TAuthEventFilter; before?: TAuthEventCursor; after?: TAuthEventCursor; take?: number }) => {
  const take = Math.min(options.take ?? 50, 500);
  const where = authEventWhere(options.filter);
  const keyset: Prisma.AuthEventWhereInput[] = [];
  // (time, id) < (T, I) spelled so PostgreSQL can bound the index scan on time (Prisma has no row comparison).
  if (options.before) keyset.push({ time: { lte: options.before.time } }, { OR: [{ time: { lt: options.before.time } }, { id: { lt: options.before.id } }] });
  if (options.after) keyset.push({ time: { gte: options.after.time } }, { OR: [{ time: { gt: options.after.time } }, { id: { gt: options.after.id } }] });
  const rows = await options.prisma.authEvent.findMany({
    where: keyset.length ? { AND: [where, ...keyset] } : where,
    orderBy: [{ time: "desc" }, { id: "desc" }],
    take: take + 1,
    include: { application: { select: { name: true } } },
  });
  const page = rows.slice(0, take);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > take && last ? encodeCursor({ time: last.time, id: last.id }) : undefined };
};
