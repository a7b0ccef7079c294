import type { TPrisma } from "../lib/db";
import { claimScheduledSyncs } from "../lib/directory-sync/claim-scheduled-sync";
import { runDirectorySync } from "../lib/directory-sync/run-directory-sync";
import { changeCount } from "../lib/directory-sync/sync-types";

export const DIRECTORY_SYNC_ACTOR = { email: "worker:directory-sync" } as const;

const CHECK_EVERY_MS = 60_000;
const FIRST_CHECK_MS = 5000; // serve first, sync a little later

// Scheduled directory syncs run in the worker, not the console: workers are the processes that always run (the
// console may be stopped, or served by several instances), and they already keep timers. Each due server is claimed
// by one process of the whole fleet (claimScheduledSyncs moves its lastRunAt in one statement), and the apply holds
// the server's advisory lock, so a scheduled run and the console's "sync now" never interleave.
export const startDirectorySyncTimer = (options: { prisma: TPrisma; log: (line: string) => void; checkEveryMs?: number }): { stop: () => Promise<void> } => {
  let running: Promise<void> | undefined;
  let stopped = false;
  const check = () => {
    running ??= (async () => {
      for (const serverId of await claimScheduledSyncs({ prisma: options.prisma, now: new Date() })) {
        if (stopped) return;
        try {
          const run = await runDirectorySync({ prisma: options.prisma, actor: DIRECTORY_SYNC_ACTOR, serverId, apply: true });
          options.log(`directory sync ${serverId}: ${changeCount(run.diff)} change(s), ${run.diff.refused.length} refused, ${run.diff.warnings.length} warning(s)`);
        } catch (error) {
          options.log(`directory sync ${serverId}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })()
      .catch((error: unknown) => options.log(`directory sync: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(check, FIRST_CHECK_MS);
  const every = setInterval(check, options.checkEveryMs ?? CHECK_EVERY_MS);
  first.unref();
  every.unref();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
};
