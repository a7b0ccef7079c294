import type { TSyncDiff } from "./sync-types";

const CAP = 200;

// What the audit log and the server's "last sync" keep: every count, and the rows themselves up to a cap (a first
// import of a large directory would otherwise write megabytes into one audit row).
export const summarizeSyncDiff = (diff: TSyncDiff) => {
  const keys = Object.keys(diff) as (keyof TSyncDiff)[];
  const counts = Object.fromEntries(keys.map((key) => [key, diff[key].length]));
  const rows = Object.fromEntries(keys.map((key) => [key, diff[key].slice(0, CAP)])) as { [K in keyof TSyncDiff]: TSyncDiff[K] };
  return { counts, ...rows, truncated: keys.some((key) => diff[key].length > CAP) };
};
