import type pg from "pg";
import { z } from "zod";
import type { TPrisma } from "../db";
import type { TUserFacts } from "../policy/decision-types";

// The one reader of a user for authentication: the worker's pipeline, the second factor and every check that grants
// access read the same row the same way.
export type TAuthUser = {
  id: string;
  username: string;
  status: "active" | "bypass" | "disabled" | "locked_out";
  groupIds: string[];
  groupNames: string[];
  activeAuthenticators: number;
  facts: TUserFacts; // what lib/policy's second-factor decision needs, from the same read
};

export type TUserKey = { username: string } | { id: string };

// Plain pg on the hot path, Prisma's raw query elsewhere: the same SQL either way.
export type TSqlQuery = (query: { name: string; text: string; values: unknown[] }) => Promise<unknown[]>;
export const pgQuery = (pool: pg.Pool): TSqlQuery => async (query) => (await pool.query(query)).rows;
export const prismaQuery = (prisma: TPrisma): TSqlQuery => (query) => prisma.$queryRawUnsafe<unknown[]>(query.text, ...query.values);

const ZRowSchema = z.object({
  id: z.string(),
  username: z.string(),
  status: z.enum(["active", "bypass", "disabled", "locked_out"]),
  failedAttempts: z.number().int(),
  lockedAt: z.date().nullable(),
  groups: z.array(z.object({ id: z.string(), name: z.string() })),
  authenticators: z.array(z.object({ id: z.string(), kind: z.enum(["totp", "hotp", "push_device", "bypass_codes"]), name: z.string(), active: z.boolean() })),
  hasBypassCodes: z.boolean(),
});

// One round trip (an ORM query with relations costs several times more per login).
// Timestamps are stored as UTC without a zone, hence the AT TIME ZONE.
const select = (where: string) => `
SELECT u.id::text AS id, u.username, u.status::text AS status, u."failedAttempts", u."lockedAt" AT TIME ZONE 'UTC' AS "lockedAt",
  COALESCE((SELECT json_agg(json_build_object('id', g.id, 'name', g.name))
            FROM "GroupMember" gm JOIN "Group" g ON g.id = gm."groupId" WHERE gm."userId" = u.id), '[]'::json) AS groups,
  COALESCE((SELECT json_agg(json_build_object('id', a.id, 'kind', a.kind, 'name', a.name, 'active', a.active) ORDER BY a."createdAt")
            FROM "Authenticator" a WHERE a."userId" = u.id), '[]'::json) AS authenticators,
  EXISTS (SELECT 1 FROM "BypassCode" b WHERE b."userId" = u.id AND b."remainingUses" > 0
          AND (b."expiresAt" IS NULL OR b."expiresAt" > (now() AT TIME ZONE 'UTC'))) AS "hasBypassCodes"
FROM "User" u WHERE ${where}`;
const BY_USERNAME = select("u.username = $1");
// A non-uuid id (a corrupted State row) matches nothing instead of raising a cast error.
const BY_ID = select("u.id::text = $1");

export const readUser = async (options: { query: TSqlQuery; key: TUserKey }): Promise<TAuthUser | undefined> => {
  const { key } = options;
  const rows = "id" in key
    ? await options.query({ name: "twofold-read-user-by-id", text: BY_ID, values: [key.id] })
    : await options.query({ name: "twofold-read-user", text: BY_USERNAME, values: [key.username] });
  if (rows.length === 0) return undefined;
  const row = ZRowSchema.parse(rows[0]);
  return {
    id: row.id,
    username: row.username,
    status: row.status,
    groupIds: row.groups.map((group) => group.id),
    groupNames: row.groups.map((group) => group.name),
    activeAuthenticators: row.authenticators.filter((authenticator) => authenticator.active).length,
    facts: { id: row.id, status: row.status, failedAttempts: row.failedAttempts, lockedAt: row.lockedAt, authenticators: row.authenticators, hasBypassCodes: row.hasBypassCodes },
  };
};
