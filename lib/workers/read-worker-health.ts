import { z } from "zod";
import { ZClientDropsSchema, type TClientDrops } from "../metrics/count-client-drops";
import type { TWorkerStats } from "./record-heartbeat";

export const ZWorkerConfigProblemSchema = z.object({ table: z.string(), rowId: z.string(), field: z.string(), message: z.string(), skipped: z.boolean() });
export type TWorkerConfigProblem = z.infer<typeof ZWorkerConfigProblemSchema>;

export type TWorkerHealth = { configProblems: TWorkerConfigProblem[]; droppedByClient: TClientDrops; dropped: Record<string, number> };

const ZDroppedSchema = z.record(z.string(), z.number().int().min(0));

// The parts of a worker's heartbeat stats the console shows: what its snapshot loader skipped or warns about, and
// its drops per reason and per RADIUS client. Pure (no database), so the dashboard can apply it in the browser too.
// Each part is parsed on its own: a worker of another version with one odd field still shows the rest.
export const readWorkerHealth = (stats: TWorkerStats): TWorkerHealth => {
  const problems = z.array(ZWorkerConfigProblemSchema).safeParse(stats.configProblems);
  const byClient = ZClientDropsSchema.safeParse(stats.droppedByClient);
  const dropped = ZDroppedSchema.safeParse(stats.dropped);
  return { configProblems: problems.success ? problems.data : [], droppedByClient: byClient.success ? byClient.data : {}, dropped: dropped.success ? dropped.data : {} };
};
