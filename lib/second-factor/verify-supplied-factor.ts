import type { TPrisma } from "../db";
import { hashBypassCode } from "../factors/hash-bypass-code";
import { matchOtpCode, type TOtpKey, type TOtpMatch } from "../factors/match-otp-code";
import { parseOtpSecret, type TSuppliedCode } from "../factors/otp-secret";
import { findHotpResync } from "../factors/resync-hotp";
import { decryptSecret } from "../secrets/envelope";
import { prismaQuery, type TSqlQuery } from "../users/read-user";
import { claimFactorAttempt, type TFactorSpend } from "./claim-factor-attempt";

export type TVerifySuppliedFactorOptions = {
  prisma: Pick<TPrisma, "$queryRawUnsafe">;
  sql?: TSqlQuery; // plain pg on the worker's hot path
  userId: string;
  otpKeys: TOtpKey[]; // the user's passcode seeds from the same read the decision was made on
  step: { step: "verify_passcode"; code: TSuppliedCode; authenticatorIds: string[] } | { step: "verify_bypass"; code: string };
  resync?: { authenticatorId: string; firstCode: string }; // answering "enter the next code" for a drifted HOTP token
  lockoutThreshold: number;
  now: Date;
};

export type TSuppliedFactorResult =
  | { kind: "accepted"; reason: "valid_passcode" | "bypass_code"; factor: string }
  | { kind: "failed"; reason: "invalid_passcode" | "passcode_replayed" | "bypass_code_used"; factor: string; failedAttempts: number }
  // Never verified (no attempt left), or the user was disabled or locked before it took effect.
  | { kind: "refused"; reason: "locked_out" | "user_disabled"; factor: string };

// `factor` names the check in the log ("passcode" until a code matched a token); `accepted` the factor that took effect.
type TCandidate = { spend?: TFactorSpend; factor: string; accepted: string; replayed: boolean };

// Which step, counter or bypass use this code would spend, worked out in memory from the seeds already read. It
// decides nothing by itself: the outcome is the claim's, so a refused claim says "locked out" whether the code was
// right or wrong.
const candidate = ({ otpKeys, step, resync, now }: Omit<TVerifySuppliedFactorOptions, "prisma" | "sql" | "userId" | "lockoutThreshold">): TCandidate => {
  if (step.step === "verify_bypass") return { spend: { kind: "bypass", codeHash: hashBypassCode(step.code) }, factor: "bypass_code", accepted: "bypass_code", replayed: false };
  const keys = otpKeys.filter((key) => step.authenticatorIds.includes(key.id));
  // Resynchronizing takes the code typed (a proof over it cannot be searched 1000 counters deep).
  const drifted = resync && typeof step.code === "string" ? keys.find((key) => key.id === resync.authenticatorId && key.kind === "hotp") : undefined;
  if (resync && drifted && typeof step.code === "string") {
    const secret = parseOtpSecret({ text: decryptSecret(drifted.secret), encoding: "base32" });
    const first = "error" in secret ? undefined : findHotpResync({ secret, code1: resync.firstCode, code2: step.code, digits: drifted.digits, counter: drifted.counter });
    const match: TOtpMatch | undefined = first === undefined ? undefined : { authenticatorId: drifted.id, kind: "hotp", step: first, next: first + 2 };
    return { spend: match && { kind: "otp", match }, factor: "hotp", accepted: "hotp", replayed: false };
  }
  const { match, replayed } = matchOtpCode({ keys, code: step.code, now });
  return { spend: match && { kind: "otp", match }, factor: "passcode", accepted: match?.kind ?? "passcode", replayed };
};

// One statement decides: the attempt is claimed, the code's step/counter/use is spent if still fresh, and the user is
// re-checked (still enabled, not locked) — together (claim-factor-attempt.ts). A user disabled while the code was
// being checked is refused and the code stays unspent.
export const verifySuppliedFactor = async (options: TVerifySuppliedFactorOptions): Promise<TSuppliedFactorResult> => {
  const { prisma, sql, userId, lockoutThreshold, now } = options;
  const { spend, factor, accepted, replayed } = candidate(options);
  const claim = await claimFactorAttempt({ prisma, sql, userId, lockoutThreshold, spend, now });
  if (!claim.ok) return { kind: "refused", reason: claim.reason, factor };
  if (claim.spent) return { kind: "accepted", reason: spend?.kind === "bypass" ? "bypass_code" : "valid_passcode", factor: accepted };
  // A matched code not spent was used already (on any worker); a bypass code of this user's that could not be spent is
  // used up or expired (said so, not "not allowed"); any other is simply wrong.
  const reason = spend?.kind === "otp" || replayed ? "passcode_replayed" : spend?.kind === "bypass" && (await isKnownBypassCode({ prisma, sql, userId, codeHash: spend.codeHash })) ? "bypass_code_used" : "invalid_passcode";
  return { kind: "failed", reason, factor, failedAttempts: claim.attempt };
};

const isKnownBypassCode = async ({ prisma, sql = prismaQuery(prisma), userId, codeHash }: { prisma: Pick<TPrisma, "$queryRawUnsafe">; sql?: TSqlQuery; userId: string; codeHash: string }) =>
  (await sql({ name: "twofold-bypass-known", text: `SELECT 1 AS known FROM "BypassCode" WHERE "userId" = $1::uuid AND "codeHash" = $2 LIMIT 1`, values: [userId, codeHash] })).length > 0;
