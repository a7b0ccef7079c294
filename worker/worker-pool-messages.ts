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
  z.object({ type: z.literal("metrics"), requestId: z.number().int() }),
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

// One metric of prom-client's Registry.getMetricsAsJSON(), what AggregatorRegistry.aggregate adds up. Values JSON
// cannot carry (NaN arrives as null) are dropped rather than trusted.
export const ZMetricJsonSchema = z.object({
  name: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/),
  help: z.string(),
  type: z.enum(["counter", "gauge", "histogram", "summary"]),
  aggregator: z.enum(["sum", "first", "min", "max", "average", "omit"]).optional(),
  values: z.array(z.object({ value: z.number().nullable(), labels: z.record(z.string(), z.union([z.string(), z.number()])), metricName: z.string().optional() })).transform((values) => values.flatMap((entry) => (entry.value === null ? [] : [{ ...entry, value: entry.value }]))),
});
export type TMetricJson = z.infer<typeof ZMetricJsonSchema>;

export const ZProcessMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), authPort: port, acctPort: port, coaPorts: z.array(port) }),
  z.object({ type: z.literal("failed"), message: z.string() }),
  z.object({ type: z.literal("stats"), requestId: z.number().int(), stats: ZProcessStatsSchema }),
  z.object({ type: z.literal("metrics"), requestId: z.number().int(), metrics: z.array(ZMetricJsonSchema) }),
]);
export type TProcessMessage = z.infer<typeof ZProcessMessageSchema>;
