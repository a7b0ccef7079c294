import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { TPrisma } from "../db";

// Our State values: a 4-byte tag (never confused with the worker's relayed-upstream "tfu1" States) + 16 random bytes.
const PREFIX = Buffer.from("tfs1");

// "hotp_next": a hardware token out of sync sent a code past the look-ahead window; the next code resynchronizes it.
// The first code is kept until the answer (it is spent either way, and the row lives for the challenge timeout).
export const ZChallengeDataSchema = z.object({
  userId: z.string(),
  purpose: z.enum(["factor", "enroll", "hotp_next", "push_verify"]),
  authenticatorId: z.string().optional(),
  pushRequestId: z.string().optional(), // push_verify: the pending push whose number the answer must carry
  firstCode: z.string().optional(),
});
export type TChallengeData = z.infer<typeof ZChallengeDataSchema>;

export const isSecondFactorState = (state: Buffer): boolean => state.length === PREFIX.length + 16 && state.subarray(0, PREFIX.length).equals(PREFIX);

export type TIssueChallengeOptions = { prisma: TPrisma; clientId: string; username: string; data: TChallengeData; attempts: number; ttlSec: number; now: Date };

// In Postgres, not in memory, so the NAS's answer may reach any worker (an ASA fails over between servers).
export const issueChallenge = async ({ prisma, clientId, username, data, attempts, ttlSec, now }: TIssueChallengeOptions): Promise<Buffer> => {
  const state = Buffer.concat([PREFIX, randomBytes(16)]);
  await prisma.challengeState.create({
    data: { id: state.toString("hex"), clientId, username, data, attempts, createdAt: now, expiresAt: new Date(now.getTime() + ttlSec * 1000) },
  });
  // Housekeeping rides along: expired rows are useless and nothing else deletes them.
  await prisma.challengeState.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 60_000) } } });
  return state;
};

export type TTakeChallengeOptions = { prisma: TPrisma; state: Buffer; clientId: string; username: string; now: Date };
export type TTakenChallenge =
  | { ok: true; data: TChallengeData; attempts: number }
  | { ok: false; reason: "challenge_invalid_state" | "challenge_expired" };

// Single use: the row is deleted as it is read, so of two workers given the same answer only one proceeds. A State
// presented by another client or for another username is consumed too (it was exposed) and refused.
export const takeChallenge = async ({ prisma, state, clientId, username, now }: TTakeChallengeOptions): Promise<TTakenChallenge> => {
  if (!isSecondFactorState(state)) return { ok: false, reason: "challenge_invalid_state" };
  // Raw DELETE … RETURNING: one statement, so the read and the consumption cannot be split by another worker.
  // The expiry comes back as epoch milliseconds (the column is UTC without a zone; no driver-side zone guessing).
  const rows = await prisma.$queryRaw<{ clientId: string; username: string; data: unknown; attempts: number; expiresAtMs: number }[]>`
    DELETE FROM "ChallengeState" WHERE id = ${state.toString("hex")}
    RETURNING "clientId"::text AS "clientId", username, data, attempts, (EXTRACT(EPOCH FROM "expiresAt") * 1000)::float8 AS "expiresAtMs"`;
  const row = rows[0];
  if (!row || row.clientId !== clientId || row.username !== username) return { ok: false, reason: "challenge_invalid_state" };
  if (row.expiresAtMs <= now.getTime()) return { ok: false, reason: "challenge_expired" };
  const data = ZChallengeDataSchema.safeParse(row.data);
  return data.success ? { ok: true, data: data.data, attempts: row.attempts } : { ok: false, reason: "challenge_invalid_state" };
};
