import { z } from "zod";

export const ZReadinessSchema = z.object({
  status: z.enum(["ready", "degraded", "starting"]),
  database: z.enum(["reachable", "unreachable", "unknown"]),
  configVersion: z.number().int().min(0).nullable(), // null: no snapshot yet
  detail: z.string(),
});
export type TReadiness = z.infer<typeof ZReadinessSchema>;

// /readyz for a worker: without a snapshot it cannot answer anyone (503, take it out of rotation); with one it answers
// from memory even while PostgreSQL is away (fail mode, spooled log), so it stays in rotation and says "degraded" for
// the alert. The console has no snapshot: there an unreachable database is simply not ready.
export const decideReadiness = (options: { configVersion: number | undefined; database: "reachable" | "unreachable"; needsDatabase?: boolean }): { httpStatus: number; body: TReadiness } => {
  const { configVersion, database } = options;
  if (configVersion === undefined && !options.needsDatabase) {
    return { httpStatus: 503, body: { status: "starting", database: "unknown", configVersion: null, detail: "no configuration snapshot loaded yet" } };
  }
  const version = configVersion ?? null;
  if (database === "reachable") return { httpStatus: 200, body: { status: "ready", database, configVersion: version, detail: "database reachable" } };
  if (options.needsDatabase) return { httpStatus: 503, body: { status: "degraded", database, configVersion: version, detail: "database unreachable" } };
  return { httpStatus: 200, body: { status: "degraded", database, configVersion: version, detail: `database unreachable: serving configuration version ${version} from the last snapshot, auth log spooling to disk` } };
};
