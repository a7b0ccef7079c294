import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { TPrisma } from "../db";
import { prismaQuery, type TSqlQuery } from "../users/read-user";

// Every State Twofold hands a NAS — the second factor's rounds and a relayed upstream (ISE/NPS) challenge — lives in
// this one store, with one rule: bound to the RADIUS client and the normalized typed username, single use, expiring
// after the policy's challenge timeout. A 4-byte tag + 16 random bytes; the tag routes an answer to the step that
// issued it (the second factor, or the relay to the upstream) before the row is taken.
const TAGS = { second_factor: Buffer.from("tfs1"), upstream: Buffer.from("tfu1") } as const;
export type TStateKind = keyof typeof TAGS;

// "hotp_next": a hardware token out of sync sent a code past the look-ahead window; the next code resynchronizes it.
// The first code is kept until the answer (it is spent either way, and the row lives for the challenge timeout).
// "upstream": the upstream's own State, swapped back in when the NAS answers (hex).
// What the primary granted (the upstream's reply attributes as hex, directory groups), carried through the rounds of a
// challenge so the final Access-Accept still hands the ASA its Class, dACL name and group policy.
export const ZGrantSchema = z.object({
  attributes: z.array(z.object({ type: z.number().int(), vendorId: z.number().int().optional(), vendorType: z.number().int().optional(), value: z.string().regex(/^([0-9a-f]{2})*$/) })).max(100),
  groups: z.array(z.string()).max(1000),
});
export type TGrant = z.infer<typeof ZGrantSchema>;

export const ZChallengeDataSchema = z.object({
  userId: z.string().optional(),
  grant: ZGrantSchema.optional(),
  purpose: z.enum(["factor", "enroll", "hotp_next", "push_verify", "upstream"]),
  authenticatorId: z.string().optional(),
  pushRequestId: z.string().optional(), // push_verify: the pending push whose number the answer must carry
  firstCode: z.string().optional(),
  upstreamState: z.string().regex(/^([0-9a-f]{2})+$/).optional(),
  // EAP: the upstream server holding the conversation (its TLS tunnel); a downloadable ACL's page: the server that sent
  // it. The next round goes there from any worker.
  upstreamServerId: z.string().optional(),
  // Every round of one login logs it, so the dashboard counts a wrong code followed by the right one as one login.
  loginId: z.uuid().optional(),
});
export type TChallengeData = z.infer<typeof ZChallengeDataSchema>;

export const stateKind = (state: Buffer): TStateKind | undefined => {
  if (state.length !== 20) return undefined;
  if (state.subarray(0, 4).equals(TAGS.second_factor)) return "second_factor";
  if (state.subarray(0, 4).equals(TAGS.upstream)) return "upstream";
  return undefined;
};
const kindOf = (data: TChallengeData): TStateKind => (data.purpose === "upstream" ? "upstream" : "second_factor");

export type TIssueChallengeOptions = {
  prisma: Pick<TPrisma, "$queryRawUnsafe">;
  sql?: TSqlQuery; // plain pg on the worker's hot path; Prisma's raw query otherwise (the same statements)
  clientId: string;
  username: string;
  data: TChallengeData;
  attempts: number;
  ttlSec: number;
  now: Date;
};

const INSERT = `INSERT INTO "ChallengeState" (id, "clientId", username, data, attempts, "createdAt", "expiresAt")
  VALUES ($1, $2::uuid, $3, $4::jsonb, $5, $6::timestamp, $7::timestamp)`;
const SWEEP = `DELETE FROM "ChallengeState" WHERE "expiresAt" < $1::timestamp`;
const SWEEP_EVERY_MS = 60_000;
let nextSweepAt = 0;

// In Postgres, not in memory, so the NAS's answer may reach any worker (an ASA fails over between servers).
// Timestamps go in as ISO strings cast to timestamp: the columns are UTC without a zone, and so is the string.
export const issueChallenge = async ({ prisma, sql = prismaQuery(prisma), clientId, username, data, attempts, ttlSec, now }: TIssueChallengeOptions): Promise<Buffer> => {
  const state = Buffer.concat([TAGS[kindOf(data)], randomBytes(16)]);
  const expiresAt = new Date(now.getTime() + ttlSec * 1000);
  await sql({ name: "twofold-issue-challenge", text: INSERT, values: [state.toString("hex"), clientId, username, JSON.stringify(data), attempts, now.toISOString(), expiresAt.toISOString()] });
  // Housekeeping: expired rows are useless (takeChallenge refuses them) and nothing else deletes them. At most once a
  // minute per process and off the login's path, instead of a DELETE on every issue.
  if (now.getTime() >= nextSweepAt) {
    nextSweepAt = now.getTime() + SWEEP_EVERY_MS;
    void sql({ name: "twofold-sweep-challenges", text: SWEEP, values: [new Date(now.getTime() - 60_000).toISOString()] }).catch(() => undefined);
  }
  return state;
};

export type TTakeChallengeOptions = { prisma: Pick<TPrisma, "$queryRawUnsafe">; sql?: TSqlQuery; state: Buffer; clientId: string; username: string; now: Date };
export type TTakenChallenge = { data: TChallengeData; attempts: number };
export type TTakeChallengeResult = ({ ok: true } & TTakenChallenge) | { ok: false; reason: "challenge_invalid_state" | "challenge_expired" };

const ZRowSchema = z.object({ clientId: z.string(), username: z.string(), data: z.unknown(), attempts: z.number().int(), expiresAtMs: z.number() });

// Single use: the row is deleted as it is read, so of two workers given the same answer only one proceeds. A State
// presented by another client or for another username is consumed too (it was exposed) and refused.
const TAKE = `DELETE FROM "ChallengeState" WHERE id = $1
  RETURNING "clientId"::text AS "clientId", username, data, attempts, (EXTRACT(EPOCH FROM "expiresAt") * 1000)::float8 AS "expiresAtMs"`;

export const takeChallenge = async ({ prisma, sql = prismaQuery(prisma), state, clientId, username, now }: TTakeChallengeOptions): Promise<TTakeChallengeResult> => {
  const kind = stateKind(state);
  if (!kind) return { ok: false, reason: "challenge_invalid_state" };
  // Raw DELETE … RETURNING: one statement, so the read and the consumption cannot be split by another worker.
  // The expiry comes back as epoch milliseconds (the column is UTC without a zone; no driver-side zone guessing).
  const rows = await sql({ name: "twofold-take-challenge", text: TAKE, values: [state.toString("hex")] });
  const row = ZRowSchema.safeParse(rows[0]);
  if (!row.success || row.data.clientId !== clientId || row.data.username !== username) return { ok: false, reason: "challenge_invalid_state" };
  if (row.data.expiresAtMs <= now.getTime()) return { ok: false, reason: "challenge_expired" };
  const data = ZChallengeDataSchema.safeParse(row.data.data);
  // A row's tag and its purpose always agree unless the row was forged: refuse rather than run the wrong step.
  return data.success && kindOf(data.data) === kind ? { ok: true, data: data.data, attempts: row.data.attempts } : { ok: false, reason: "challenge_invalid_state" };
};
