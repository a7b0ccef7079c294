import { z } from "zod";

// TWOFOLD_LOG_LEVEL: pino's levels. Apart from the logger so the environment schema does not pull pino in.
export const ZLogLevelSchema = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);
export type TLogLevel = z.infer<typeof ZLogLevelSchema>;
