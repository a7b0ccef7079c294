import { z } from "zod";
import type { TPrisma } from "../db";
import { normalizeUsername } from "../policy/normalize-username";
import { buildNameSearch, loadNormalizationModes, type TNormalizationMode } from "../users/build-name-search";

const blank = (value: unknown) => (value === "" || value === null ? undefined : value);

export const ZAuthEventFilterSchema = z.object({
  // A search (prefix of the account or of the name typed); hostile input finds nothing (build-name-search.ts).
  user: z.preprocess(blank, z.string().trim().max(1000).optional()),
  account: z.preprocess(blank, z.string().trim().max(300).optional()), // one account, exactly
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

// One WHERE for the page, the live stream and the export. `user` is the helpdesk's search (build-name-search.ts):
// the start of the account's name or of the name typed, each on its own prefix index (migration
// 20261202060000_name_prefix_search); `account` is one account exactly (the user page), on (username, time, id).
// The name search comes back as `arms`, one per prefix index, each to be its own ORDER BY ... LIMIT (see below).
const whereSql = (filter: TAuthEventFilter, modes: readonly TNormalizationMode[], values: unknown[]): { clauses: string[]; arms: string[] } | undefined => {
  const param = (value: unknown, cast = "") => {
    values.push(value);
    return `$${values.length}${cast}`;
  };
  const clauses: string[] = [];
  const search = buildNameSearch({ query: filter.user, modes });
  if (search.kind === "nothing") return undefined;
  const arms: string[] = [];
  if (search.kind === "match") {
    arms.push(...search.accounts.map((pattern) => `username LIKE ${param(pattern)} ESCAPE '\\'`), `lower("usernameRaw") LIKE ${param(search.typed)} ESCAPE '\\'`);
  }
  // Stored names are folded, not lower-cased (a Cherokee name is kept in capitals): the same normalization, not lower().
  if (filter.account) clauses.push(`username = ${param(normalizeUsername({ username: filter.account, mode: "none" }))}`);
  if (filter.userId) clauses.push(`"userId" = ${param(filter.userId, "::uuid")}`);
  if (filter.applicationId) clauses.push(`"applicationId" = ${param(filter.applicationId, "::uuid")}`);
  if (filter.client) clauses.push(`"clientName" = ${param(filter.client)}`);
  if (filter.result) clauses.push(`result = ${param(filter.result, '::"AuthResult"')}`);
  if (filter.reason) clauses.push(`reason = ${param(filter.reason)}`);
  // Stored timestamps are UTC without a zone: an ISO string cast to timestamp keeps exactly that.
  if (filter.from) clauses.push(`time >= ${param(filter.from.toISOString(), "::timestamp")}`);
  if (filter.to) clauses.push(`time <= ${param(filter.to.toISOString(), "::timestamp")}`);
  return { clauses, arms };
};

// (time, id) < (T, I) spelled so PostgreSQL can bound the index scan on time.
const keysetSql = (cursor: TAuthEventCursor, direction: "before" | "after", values: unknown[]): string => {
  values.push(cursor.time.toISOString(), cursor.id.toString());
  const [time, id] = [`$${values.length - 1}::timestamp`, `$${values.length}::bigint`];
  return direction === "before" ? `time <= ${time} AND (time < ${time} OR id < ${id})` : `time >= ${time} AND (time > ${time} OR id > ${id})`;
};

const ZIdRowSchema = z.object({ id: z.bigint() });

export type TBuildAuthEventQueryOptions = { filter: TAuthEventFilter; modes: readonly TNormalizationMode[]; before?: TAuthEventCursor; after?: TAuthEventCursor; limit: number };

// The page's ids as one parameterized statement; undefined when the filter can match nothing.
export const buildAuthEventQuery = ({ filter, modes, before, after, limit }: TBuildAuthEventQueryOptions): { text: string; values: unknown[] } | undefined => {
  const values: unknown[] = [];
  const where = whereSql(filter, modes, values);
  if (!where) return undefined;
  const { clauses, arms } = where;
  if (before) clauses.push(keysetSql(before, "before", values));
  if (after) clauses.push(keysetSql(after, "after", values));
  values.push(limit);
  const order = `ORDER BY time DESC, id DESC LIMIT $${values.length}::int`;
  const select = (columns: string, conditions: string[]) => `SELECT ${columns} FROM "AuthEvent" ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""} ${order}`;
  if (arms.length === 0) return { text: select("id", clauses), values };
  // A name search is one page per prefix index, merged: an OR of the indexes is a bitmap scan that fetches every
  // matching row from the heap before sorting (18,000 random pages for a 100-account prefix at 10 M rows), while
  // each arm alone is an index-only range scan of (name, time, id) (migration 20261202100000_auth_log_prefix_keyset).
  return { text: `SELECT id FROM (${arms.map((arm) => `(${select("id, time", [arm, ...clauses])})`).join(" UNION ")}) page ${order}`, values };
};

export const queryAuthEvents = async (options: { prisma: TPrisma; filter: TAuthEventFilter; before?: TAuthEventCursor; after?: TAuthEventCursor; take?: number }) => {
  const take = Math.min(options.take ?? 50, 500);
  const modes = options.filter.user ? await loadNormalizationModes(options) : [];
  const query = buildAuthEventQuery({ ...options, modes, limit: take + 1 });
  if (!query) return { rows: [], nextCursor: undefined };
  const ids = z.array(ZIdRowSchema).parse(await options.prisma.$queryRawUnsafe<unknown[]>(query.text, ...query.values)).map((row) => row.id);
  const rows = ids.length ? await options.prisma.authEvent.findMany({ where: { id: { in: ids } }, orderBy: [{ time: "desc" }, { id: "desc" }], include: { application: { select: { name: true } } } }) : [];
  const page = rows.slice(0, take);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > take && last ? encodeCursor({ time: last.time, id: last.id }) : undefined };
};
