import { z } from "zod";
import type { TPrisma } from "../db";
import type { TOtpMatch } from "../factors/match-otp-code";
import { prismaQuery, type TSqlQuery } from "../users/read-user";

// What a verified factor spends when it is accepted: a TOTP step or HOTP counter (see TOtpMatch), or one use of a
// bypass code (by its hash).
export type TFactorSpend = { kind: "otp"; match: TOtpMatch } | { kind: "bypass"; codeHash: string };

export type TClaimFactorAttemptOptions = {
  prisma: Pick<TPrisma, "$queryRawUnsafe">;
  sql?: TSqlQuery; // plain pg on the worker's hot path; Prisma's raw query otherwise (the same statement)
  userId: string;
  lockoutThreshold: number;
  spend?: TFactorSpend; // none: the claim alone (a code that matched nothing, a verified-push number)
  now?: Date;
};

// ok: the attempt was claimed. spent: the factor was accepted and consumed, the failure run ended (attempt 0). Not
// spent: the claim stands as a failure, `attempt` the failures so far, this one included (a replay, or nothing to spend).
export type TFactorClaim = { ok: true; attempt: number; spent: boolean } | { ok: false; reason: "locked_out" | "user_disabled" };

const ZClaimRowSchema = z.object({ attempt: z.number().int().nullable(), spent: z.boolean() });
const ZStatusRowSchema = z.object({ status: z.string() });

// Every factor check claims one attempt in a conditional UPDATE that Postgres serializes on the user row across
// workers: the claim is the failure counted in advance. So a burst on any number of workers gets at most
// `lockoutThreshold` claims, and once that many are spent or in flight the rest are refused — the right code among
// them too. Threshold 0 means lockout is off: the count goes on, nothing is refused for it.
//
// With something to spend, claim, replay guard, consumption and the user re-check are ONE statement: the factor's row
// is locked first (FOR UPDATE returns its latest committed version, so "fresh" is exact), then the user's row is
// claimed (its WHERE re-checked against the latest version: a user disabled or locked meanwhile is not claimed), then
// the factor is spent only if that claim happened and it was fresh. A code is thus consumed exactly when the user may
// still sign in, the failure counter and the consumption commit together, and a refused claim leaves the code unspent.
// Locking the factor before the user keeps the order of the former two-step grant (authenticator, then user).
const claim = (factor: string, fresh: string, spend: string) => `
WITH ${factor ? `factor AS (${factor}),` : ""}
claim AS (
  UPDATE "User" SET
    "failedAttempts" = CASE WHEN ${fresh} THEN 0 ELSE "failedAttempts" + 1 END,
    "lastSeenAt" = CASE WHEN ${fresh} THEN $3::timestamp ELSE "lastSeenAt" END,
    "updatedAt" = CASE WHEN ${fresh} THEN $3::timestamp ELSE "updatedAt" END
  WHERE id = $1::uuid AND status IN ('active', 'bypass') AND ($2::int = 0 OR "failedAttempts" < $2::int)
  RETURNING "failedAttempts"
)${spend ? `, spend AS (${spend} AND EXISTS (SELECT 1 FROM claim) RETURNING 1)` : ""}
SELECT (SELECT "failedAttempts" FROM claim) AS attempt, ${spend ? "EXISTS (SELECT 1 FROM spend)" : "false"} AS spent`;

// Parameters: $1 user, $2 threshold, $3 now, then the factor's ($4 authenticator, $5 step, $6 next; $4 code hash).
const BARE = claim("", "false", "");
const OTP = claim(
  `SELECT id, CASE WHEN kind = 'totp' THEN "lastUsedStep" IS NULL OR "lastUsedStep" < $5::bigint ELSE counter <= $5::bigint END AS fresh
   FROM "Authenticator" WHERE id = $4::uuid AND "userId" = $1::uuid AND active AND kind IN ('totp', 'hotp') FOR UPDATE`,
  "COALESCE((SELECT fresh FROM factor), false)",
  `UPDATE "Authenticator" SET
     "lastUsedStep" = CASE WHEN kind = 'totp' THEN $5::bigint ELSE "lastUsedStep" END,
     counter = CASE WHEN kind = 'hotp' THEN $6::bigint ELSE counter END,
     "lastUsedAt" = $3::timestamp
   WHERE id = (SELECT id FROM factor WHERE fresh)`,
);
const BYPASS = claim(
  `SELECT id FROM "BypassCode" WHERE "userId" = $1::uuid AND "codeHash" = $4 AND "remainingUses" > 0
     AND ("expiresAt" IS NULL OR "expiresAt" > $3::timestamp) LIMIT 1 FOR UPDATE`,
  "EXISTS (SELECT 1 FROM factor)",
  `UPDATE "BypassCode" SET "remainingUses" = "remainingUses" - 1 WHERE id = (SELECT id FROM factor)`,
);

export const claimFactorAttempt = async ({ prisma, sql = prismaQuery(prisma), userId, lockoutThreshold, spend, now = new Date() }: TClaimFactorAttemptOptions): Promise<TFactorClaim> => {
  // Stored timestamps are UTC without a zone: an ISO string cast to timestamp keeps exactly that (the "Z" is ignored).
  const at = now.toISOString();
  const rows = !spend
    ? await sql({ name: "twofold-claim", text: BARE, values: [userId, lockoutThreshold, at] })
    : spend.kind === "bypass"
      ? await sql({ name: "twofold-claim-bypass", text: BYPASS, values: [userId, lockoutThreshold, at, spend.codeHash] })
      : await sql({ name: "twofold-claim-otp", text: OTP, values: [userId, lockoutThreshold, at, spend.match.authenticatorId, String(spend.match.step), String(spend.match.next)] });
  const row = ZClaimRowSchema.parse(rows[0]);
  if (row.attempt !== null) return { ok: true, attempt: row.attempt, spent: row.spent };
  // Refused: read afresh (not in the statement's snapshot) to tell a disable from a lock. A deleted user is refused too.
  const status = (await sql({ name: "twofold-claim-status", text: `SELECT status::text AS status FROM "User" WHERE id = $1::uuid`, values: [userId] }))[0];
  const parsed = ZStatusRowSchema.safeParse(status);
  return { ok: false, reason: !parsed.success || parsed.data.status === "disabled" ? "user_disabled" : "locked_out" };
};
