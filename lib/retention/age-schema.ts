import { z } from "zod";

const DAY_MS = 24 * 60 * 60 * 1000;

// "400d" or "57w". Shorter than a day is refused: pruning the auth log by the hour is almost certainly a typo.
export const ZAgeSchema = z
  .string({ error: "is required, e.g. 400d" })
  .regex(/^\d+[dw]$/, "must be a number of days or weeks, e.g. 400d or 57w")
  .transform((text) => ({ text, days: Number(text.slice(0, -1)) * (text.endsWith("w") ? 7 : 1) }))
  .refine((age) => age.days >= 1, "must be at least 1d")
  .transform((age) => ({ ...age, ms: age.days * DAY_MS }));

export type TAge = z.infer<typeof ZAgeSchema>;
