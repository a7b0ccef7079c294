import type pg from "pg";
import { z } from "zod";
import type { TUserFacts } from "../policy/decision-types";

export type TFlowUser = {
  id: string;
  username: string;
  status: "active" | "bypass" | "disabled" | "locked_out";
  groupIds: string[];
  groupNames: string[];
  activeAuthenticators: number;
  facts: TUserFacts; // what lib/policy's second-factor decision needs, from the same read
};

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

// One round trip on the hot path (plain pg: an ORM query with relations costs several times more per login).
// Timestamps are stored as UTC without a zone, hence the AT TIME ZONE.
const SQL = `
SELECT u.id, u.username, u.status::text AS status, u."failedAttempts", u."lockedAt" AT TIME ZONE 'UTC' AS "lockedAt",
  COALESCE((SELECT json_agg(json_build_object('id', g.id, 'name', g.name))
            FROM "GroupMember" gm JOIN "Group" g ON g.id = gm."groupId" WHERE gm."userId" = u.id), '[]'::json) AS groups,
  COALESCE((SELECT json_agg(json_build_object('id', a.id, 'kind', a.kind, 'name', a.name, 'active', a.active) ORDER BY a."createdAt")
            FROM "Authenticator" a WHERE a."userId" = u.id), '[]'::json) AS authenticators,
  EXISTS (SELECT 1 FROM "BypassCode" b WHERE b."userId" = u.id AND b."remainingUses" > 0
          AND (b."expiresAt" IS NULL OR b."expiresAt" > (now() AT TIME ZONE 'UTC'))) AS "hasBypassCodes"
FROM "User" u WHERE u.username = $1`;

export const lookupUser = async (options: { pool: pg.Pool; username: string }): Promise<TFlowUser | undefined> => {
  const result = await options.pool.query({ name: "twofold-lookup-user", text: SQL, values: [options.username] });
  if (result.rows.length === 0) return undefined;
  const row = ZRowSchema.parse(result.rows[0]);
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
