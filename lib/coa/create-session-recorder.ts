import type { TPrisma } from "../db";
import { purgeStoppedSessions, recordSession, type TSessionRecord } from "./record-session";

export type TSessionRecorder = { record: (record: TSessionRecord) => void; idle: () => Promise<void>; stats: () => { pending: number; failed: number } };

const MAX_PENDING = 10_000;
const ATTEMPTS = 3;

// Sessions are written after the NAS is answered (the accounting journal already holds the record), one at a time in
// arrival order so a quick Start → Stop cannot land as Stop → Start. A database outage costs session rows, not
// accounting: each is tried a few times, then logged; past MAX_PENDING new ones are refused rather than held in memory.
export const createSessionRecorder = (options: { prisma: TPrisma; log: (line: string) => void; retryMs?: number }): TSessionRecorder => {
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;
  let failed = 0;
  let lastPurge = 0;
  const write = async (record: TSessionRecord) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await recordSession({ prisma: options.prisma, record });
        if (Date.now() - lastPurge > 3600_000) {
          lastPurge = Date.now();
          await purgeStoppedSessions({ prisma: options.prisma });
        }
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, (options.retryMs ?? 500) * attempt));
      }
    }
  };
  return {
    record: (record) => {
      if (pending >= MAX_PENDING) {
        failed += 1;
        if (failed % 1000 === 1) options.log(`sessions: ${pending} writes waiting for the database; session ${record.identity.acctSessionId ?? "?"} not recorded`);
        return;
      }
      pending += 1;
      tail = tail
        .then(() => write(record))
        .catch((error: unknown) => {
          failed += 1;
          options.log(`sessions: ${record.identity.acctSessionId ?? "?"} not recorded: ${String(error)}`);
        })
        .finally(() => {
          pending -= 1;
        });
    },
    idle: async () => {
      while (pending > 0) await tail;
    },
    stats: () => ({ pending, failed }),
  };
};
