import { z } from "zod";
import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { recordAuditEvent } from "../audit/record-audit-event";

export type TPruneKind = "authEvents" | "accountingEvents" | "radiusSessions" | "pushRequests" | "enrollmentLinks" | "challengeStates" | "apiTransactions";
export type TPruneCounts = Record<TPruneKind, number>;

// Each kind: the rows that are history. $1 = the cutoff, $2 = now, $3 = now - 60 s. The columns are timestamps
// without a zone holding UTC (Prisma's convention), so the times go in as UTC text, never through a driver's local
// zone. Finished pushes, used or expired enrollment links; a pending push or a live link is kept however old.
const TARGETS: { kind: TPruneKind; table: string; where: string; params: (times: string[]) => string[] }[] = [
  { kind: "authEvents", table: "AuthEvent", where: `"time" < $1::timestamp`, params: ([cutoff]) => [cutoff ?? ""] },
  { kind: "accountingEvents", table: "AccountingEvent", where: `"time" < $1::timestamp`, params: ([cutoff]) => [cutoff ?? ""] },
  // NAS sessions that ended before the cutoff, or that no accounting has touched since (the Stop was lost).
  {
    kind: "radiusSessions",
    table: "RadiusSession",
    where: `("stoppedAt" < $1::timestamp OR ("stoppedAt" IS NULL AND "updatedAt" < $1::timestamp))`,
    params: ([cutoff]) => [cutoff ?? ""],
  },
  {
    kind: "pushRequests",
    table: "PushRequest",
    where: `"createdAt" < $1::timestamp AND ("status" <> 'pending' OR "expiresAt" < $2::timestamp)`,
    params: ([cutoff, now]) => [cutoff ?? "", now ?? ""],
  },
  {
    kind: "enrollmentLinks",
    table: "EnrollmentLink",
    where: `"createdAt" < $1::timestamp AND ("usedAt" IS NOT NULL OR "expiresAt" < $2::timestamp)`,
    params: ([cutoff, now]) => [cutoff ?? "", now ?? ""],
  },
  // Expired States are useless whatever their age; a minute's grace, as the store's own housekeeping keeps
  // (lib/second-factor/challenge-state.ts), so an answer just too late is still told "expired".
  { kind: "challengeStates", table: "ChallengeState", where: `"expiresAt" < $1::timestamp`, params: ([, , graced]) => [graced ?? ""] },
  // Duo API async transactions (txids) that are settled or past their keep time; one still pending and live is kept
  // however old, as a pending push is, so a poll in flight never finds its txid gone.
  {
    kind: "apiTransactions",
    table: "ApiTransaction",
    where: `"createdAt" < $1::timestamp AND ("settledAt" IS NOT NULL OR "expiresAt" < $2::timestamp)`,
    params: ([cutoff, now]) => [cutoff ?? "", now ?? ""],
  },
];

const utc = (date: Date) => date.toISOString().replace("T", " ").replace("Z", "");

const ZCountSchema = z.array(z.object({ count: z.coerce.number().int() })).length(1);

// Batches of `batchSize` rows, each its own statement: locks stay short and the workers' inserts into the same
// tables are never held up behind one huge DELETE. `dryRun` counts instead. A real run with anything deleted is
// audited (the auth log is evidence; its removal should be too).
export const pruneOldRecords = async (options: {
  prisma: TPrisma;
  olderThanDays: number;
  now?: Date;
  dryRun?: boolean;
  batchSize?: number;
  actor: TActor;
  onProgress?: (kind: TPruneKind, deletedSoFar: number) => void;
  // Checked between batches (a worker stopping): what was deleted so far is still counted and audited.
  signal?: AbortSignal;
}): Promise<{ cutoff: Date; counts: TPruneCounts; interrupted: boolean }> => {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.olderThanDays * 24 * 60 * 60 * 1000);
  const times = [utc(cutoff), utc(now), utc(new Date(now.getTime() - 60_000))];
  const batchSize = options.batchSize ?? 5000;
  // Interpolated into the statement (LIMIT takes no parameter through Prisma's raw API), so it must be a plain integer.
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, not ${batchSize}`);
  const counts: TPruneCounts = { authEvents: 0, accountingEvents: 0, radiusSessions: 0, pushRequests: 0, enrollmentLinks: 0, challengeStates: 0, apiTransactions: 0 };
  for (const target of TARGETS) {
    if (options.signal?.aborted) break;
    const params = target.params(times);
    if (options.dryRun) {
      const rows = await options.prisma.$queryRawUnsafe<unknown[]>(`SELECT count(*)::bigint::text AS count FROM "${target.table}" WHERE ${target.where}`, ...params);
      counts[target.kind] = ZCountSchema.parse(rows)[0]?.count ?? 0;
      continue;
    }
    const sql = `DELETE FROM "${target.table}" WHERE id IN (SELECT id FROM "${target.table}" WHERE ${target.where} LIMIT ${batchSize})`;
    while (!options.signal?.aborted) {
      const deleted = await options.prisma.$executeRawUnsafe(sql, ...params);
      counts[target.kind] += deleted;
      if (deleted > 0) options.onProgress?.(target.kind, counts[target.kind]);
      if (deleted < batchSize) break;
    }
  }
  const interrupted = options.signal?.aborted ?? false;
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  if (!options.dryRun && total > 0) {
    await recordAuditEvent({ db: options.prisma, actor: options.actor, action: "retention.prune", targetType: "Retention", after: { olderThanDays: options.olderThanDays, cutoff, counts, interrupted } });
  }
  return { cutoff, counts, interrupted };
};
