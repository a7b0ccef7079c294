import { createHash } from "node:crypto";
import type { TSyncDiff } from "./sync-types";

// The dry-run's fingerprint: apply from the console carries it, and refuses when the recomputed diff differs, so what
// is applied is what the admin read (the diff is built in a stable order).
export const hashSyncDiff = (diff: TSyncDiff): string => createHash("sha256").update(JSON.stringify(diff)).digest("hex").slice(0, 32);
