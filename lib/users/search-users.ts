import { z } from "zod";
import type { TPrisma } from "../db";
import { buildNameSearch, loadNormalizationModes } from "./build-name-search";

const include = { groups: { include: { group: { select: { name: true } } } }, _count: { select: { authenticators: true } } } as const;
const ZIdRowSchema = z.object({ id: z.string() });

// Helpdesk looks for one person: by the start of the username (as typed, `CORP\alice` or `alice@corp.example`, and
// normalized the way the policies in use would, so both find alice), of the email, the display name or a group's
// name; case-insensitive. Each branch is a prefix range on its own index (migration 20261202060000_name_prefix_search)
// and the input's LIKE wildcards are escaped, so `%` or `_` find only themselves.
// The ids of one page of matches, as one statement: a UNION of prefix ranges, each on its own index.
export const buildUserSearchQuery = (search: { accounts: string[]; typed: string }, take: number): { text: string; values: unknown[] } => {
  const values: unknown[] = [search.typed, take];
  const byAccount = search.accounts.map((pattern) => {
    values.push(pattern);
    return `SELECT id, username FROM "User" WHERE username LIKE $${values.length} ESCAPE '\\'`;
  });
  const text = [
    ...byAccount,
    `SELECT id, username FROM "User" WHERE lower(email) LIKE $1 ESCAPE '\\'`,
    `SELECT id, username FROM "User" WHERE lower("displayName") LIKE $1 ESCAPE '\\'`,
    `SELECT u.id, u.username FROM "Group" g JOIN "GroupMember" m ON m."groupId" = g.id JOIN "User" u ON u.id = m."userId" WHERE lower(g.name) LIKE $1 ESCAPE '\\'`,
  ].join("\nUNION ");
  return { text: `SELECT id::text AS id FROM (${text}) AS found ORDER BY username LIMIT $2::int`, values };
};

export const searchUsers = async (options: { prisma: TPrisma; query?: string; take?: number }) => {
  const take = Math.min(options.take ?? 100, 500);
  const search = buildNameSearch({ query: options.query, modes: await loadNormalizationModes(options) });
  if (search.kind === "all") return options.prisma.user.findMany({ orderBy: { username: "asc" }, take, include });
  if (search.kind === "nothing") return [];
  const query = buildUserSearchQuery(search, take);
  const ids = z.array(ZIdRowSchema).parse(await options.prisma.$queryRawUnsafe<unknown[]>(query.text, ...query.values)).map((row) => row.id);
  if (ids.length === 0) return [];
  return options.prisma.user.findMany({ where: { id: { in: ids } }, orderBy: { username: "asc" }, include });
};
