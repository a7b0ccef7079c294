import type { TDropReason } from "../radius/parse-packet";

export type TDropCounter<R extends string = TDropReason> = {
  drop: (reason: R, source: string, detail: string) => void;
  counts: () => Record<string, number>;
};

// Drops are counted per reason and logged at most once per reason per interval, with how many were suppressed:
// a flood of junk must not turn into a flood of log lines.
// Generic in the reason so the worker's HTTPS API counts its refusals the same way (lib/duo-api).
export const createDropCounter = <R extends string = TDropReason>(options: { log: (line: string) => void; intervalMs?: number; now?: () => number }): TDropCounter<R> => {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 10_000;
  const totals = new Map<string, number>();
  const lastLogged = new Map<string, { at: number; suppressed: number }>();
  return {
    drop: (reason, source, detail) => {
      totals.set(reason, (totals.get(reason) ?? 0) + 1);
      const last = lastLogged.get(reason);
      const time = now();
      if (last && time - last.at < intervalMs) {
        last.suppressed += 1;
        return;
      }
      const suppressed = last?.suppressed ?? 0;
      lastLogged.set(reason, { at: time, suppressed: 0 });
      options.log(`dropped ${reason} from ${source}: ${detail}${suppressed > 0 ? ` (+${suppressed} more since last report)` : ""}`);
    },
    counts: () => Object.fromEntries(totals),
  };
};
