import type { TPrisma } from "../lib/db";
import { ZServerEnvSchema } from "../lib/env/server-env";
import { claimRetentionRun } from "../lib/retention/claim-retention-run";
import { pruneOldRecords } from "../lib/retention/prune-old-records";

const DAY_MS = 24 * 60 * 60 * 1000;
const CHECK_EVERY_MS = 60 * 60 * 1000;
// Not at the very start: a worker coming up (or a fleet restarting) serves first, and prunes a little later.
const FIRST_CHECK_MS = 5000;

export const RETENTION_ACTOR = { email: "worker:retention" } as const;

// TWOFOLD_RETENTION_DAYS: once a day across the whole fleet (claimRetentionRun), the same prune as `twofold prune`.
// Unset: no timer at all. Checked hourly so a fleet that restarts now and then still prunes about daily.
export const startRetentionTimer = (options: { prisma: TPrisma; log: (line: string) => void; env?: Record<string, string | undefined> }): { stop: () => Promise<void> } => {
  const days = ZServerEnvSchema.shape.TWOFOLD_RETENTION_DAYS.parse((options.env ?? process.env).TWOFOLD_RETENTION_DAYS);
  if (days === undefined) return { stop: async () => undefined };
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  const check = () => {
    running ??= (async () => {
      if (!(await claimRetentionRun({ prisma: options.prisma, now: new Date(), everyMs: DAY_MS }))) return;
      const { counts, interrupted } = await pruneOldRecords({ prisma: options.prisma, olderThanDays: days, actor: RETENTION_ACTOR, signal: stopping.signal });
      options.log(`retention (${days} days): deleted ${Object.entries(counts).map(([kind, count]) => `${count} ${kind}`).join(", ")}${interrupted ? " (stopped early)" : ""}`);
    })()
      .catch((error: unknown) => options.log(`retention: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(check, FIRST_CHECK_MS);
  const hourly = setInterval(check, CHECK_EVERY_MS);
  first.unref();
  hourly.unref();
  return {
    // Waits for the batch in flight (one DELETE), not for the whole prune.
    stop: async () => {
      clearTimeout(first);
      clearInterval(hourly);
      stopping.abort();
      await running;
    },
  };
};
