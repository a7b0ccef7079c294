import type pg from "pg";
import { z } from "zod";
import type { TPrisma } from "../db";
import { ZOtpKeySchema, type TOtpKey } from "../factors/match-otp-code";
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
  // The active TOTP/HOTP seeds (still encrypted), so checking a passcode costs no second read. Spending the code is
  // decided under the authenticator's row lock (lib/second-factor/claim-factor-attempt.ts), never from this copy.
  otpKeys: TOtpKey[];
};

export type TUserKey = { username: string } | { id: string };

// Plain pg on the hot path, Prisma's raw query elsewhere: the same SQL either way.
export type TSqlQuery = (query: { name: string; text: string; values: unknown[] }) => Promise<unknown[]>;
export const pgQuery = (pool: pg.Pool): TSqlQuery => async (query) => (await pool.query(query)).rows;
export const prismaQuery = (prisma: Pick<TPrisma, "$queryRawUnsafe">): TSqlQuery => (query) => prisma.$queryRawUnsafe<unknown[]>(query.text, ...query.values);

const ZRowSchema = z.object({
  id: z.string(),
  username: z.string(),
  status: z.enum(["active", "bypass", "disabled", "locked_out"]),
  failedAttempts: z.number().int(),
  lockedAt: z.date().nullable(),
  groups: z.array(z.object({ id: z.string(), name: z.string() })),
  authenticators: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(["totp", "hotp", "push_device", "bypass_codes"]),
      name: z.string(),
      active: z.boolean(),
      secret: z.string().nullable(),
      digits: z.number().int(),
      periodSec: z.number().int(),
      driftSteps: z.number().int(),
      counter: z.string(),
    }),
  ),
  hasBypassCodes: z.boolean(),
});

// One round trip (an ORM query with relations costs several times more per login). It names the encrypted seed column
// on purpose: the second factor verifies from this read. Timestamps are stored as UTC without a zone, hence the AT TIME ZONE.
const select = (where: string) => `
SELECT u.id::text AS id, u.username, u.status::text AS status, u."failedAttempts", u."lockedAt" AT TIME ZONE 'UTC' AS "lockedAt",
  COALESCE((SELECT json_agg(json_build_object('id', g.id, 'name', g.name))
            FROM "GroupMember" gm JOIN "Group" g ON g.id = gm."groupId" WHERE gm."userId" = u.id), '[]'::json) AS groups,
  COALESCE((SELECT json_agg(json_build_object('id', a.id, 'kind', a.kind, 'name', a.name, 'active', a.active, 'secret', a.secret,
              'digits', a.digits, 'periodSec', a."periodSec", 'driftSteps', a."driftSteps", 'counter', a.counter::text) ORDER BY a."createdAt")
            FROM "Authenticator" a WHERE a."userId" = u.id), '[]'::json) AS authenticators,
  EXISTS (SELECT 1 FROM "BypassCode" b WHERE b."userId" = u.id AND b."remainingUses" > 0
          AND (b."expiresAt" IS NULL OR b."expiresAt" > (now() AT TIME ZONE 'UTC'))) AS "hasBypassCodes"
FROM "User" u WHERE ${where}`;
const BY_USERNAME = select("u.username = $1");
// By the primary key (a cast of the column instead, `u.id::text = $1`, would scan the whole table on every challenge
// answer). A non-uuid id (a corrupted State row) matches nothing: it is never sent, so it cannot raise a cast error.
const BY_ID = select("u.id = $1::uuid");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const readUser = async (options: { query: TSqlQuery; key: TUserKey }): Promise<TAuthUser | undefined> => {
  const { key } = options;
  if ("id" in key && !UUID.test(key.id)) return undefined;
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
    facts: {
      id: row.id,
      status: row.status,
      failedAttempts: row.failedAttempts,
      lockedAt: row.lockedAt,
      authenticators: row.authenticators.map(({ id, kind, name, active }) => ({ id, kind, name, active })),
      hasBypassCodes: row.hasBypassCodes,
    },
    otpKeys: row.authenticators.flatMap(({ id, kind, active, secret, digits, periodSec, driftSteps, counter }) =>
      active && secret && (kind === "totp" || kind === "hotp") ? [ZOtpKeySchema.parse({ id, kind, secret, digits, periodSec, driftSteps, counter })] : [],
    ),
  };
};
