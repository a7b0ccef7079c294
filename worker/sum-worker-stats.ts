import type { TWorkerStats } from "../lib/workers/record-heartbeat";

type TJson = TWorkerStats[string];

const isRecord = (value: TJson | undefined): value is { [key: string]: TJson } => typeof value === "object" && value !== null && !Array.isArray(value);

// One process's value added to the running total: numbers summed, flags ORed (one process spooling: the host is),
// nested objects (drops per reason, auth-log state) merged key by key; anything else keeps the first value seen.
const add = (total: TJson | undefined, value: TJson): TJson => {
  if (total === undefined) return isRecord(value) ? add({}, value) : value;
  if (typeof total === "number" && typeof value === "number") return total + value;
  if (typeof total === "boolean" && typeof value === "boolean") return total || value;
  if (isRecord(total) && isRecord(value)) {
    const merged: { [key: string]: TJson } = { ...total };
    for (const [key, item] of Object.entries(value)) merged[key] = add(merged[key], item);
    return merged;
  }
  return total;
};

// The counters of a host's worker processes as one worker's: what /health shows for the host.
export const sumWorkerStats = (list: readonly TWorkerStats[]): TWorkerStats => {
  const total: TWorkerStats = {};
  for (const stats of list) for (const [key, value] of Object.entries(stats)) total[key] = add(total[key], value);
  return total;
};
