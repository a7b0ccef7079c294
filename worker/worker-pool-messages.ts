import { z } from "zod";
import { ZWorkerStatsSchema } from "../lib/workers/record-heartbeat";

// IPC between worker/main.ts (the primary of a multi-process host) and each worker process. Validated on both ends:
// a message that does not parse is ignored, never trusted.
const port = z.number().int().min(0).max(65535);

export const ZPrimaryMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("start"),
    index: z.number().int().min(0),
    workerId: z.string().min(1),
    authPort: port,
    acctPort: port,
    coaPorts: z.array(port).optional(), // the ports the first process bound, for the others; unset: the configured ones
    databasePoolMax: z.number().int().min(1),
  }),
  z.object({ type: z.literal("stats"), requestId: z.number().int() }),
]);
export type TPrimaryMessage = z.infer<typeof ZPrimaryMessageSchema>;

export const ZProcessStatsSchema = z.object({
  workerId: z.string(),
  pid: z.number().int(),
  configVersion: z.number().int().min(0),
  uptimeSec: z.number().int().min(0),
  counters: ZWorkerStatsSchema,
});
export type TProcessStats = z.infer<typeof ZProcessStatsSchema>;

export const ZProcessMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), authPort: port, acctPort: port, coaPorts: z.array(port) }),
  z.object({ type: z.literal("failed"), message: z.string() }),
  z.object({ type: z.literal("stats"), requestId: z.number().int(), stats: ZProcessStatsSchema }),
]);
export type TProcessMessage = z.infer<typeof ZProcessMessageSchema>;
