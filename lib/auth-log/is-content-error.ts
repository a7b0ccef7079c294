import { z } from "zod";

// node-postgres puts the SQLSTATE on the error; Prisma (raw query through @prisma/adapter-pg) wraps it as P2010 with
// the driver's error in meta.
const ZPgErrorSchema = z.object({ code: z.string().regex(/^[0-9A-Z]{5}$/) });
const ZPrismaRawErrorSchema = z.object({
  meta: z.object({ driverAdapterError: z.object({ cause: z.object({ originalCode: z.string().optional(), code: z.string().optional() }) }) }),
});

export const sqlStateOf = (error: unknown): string | undefined => {
  const prisma = ZPrismaRawErrorSchema.safeParse(error);
  if (prisma.success) return prisma.data.meta.driverAdapterError.cause.originalCode ?? prisma.data.meta.driverAdapterError.cause.code;
  const pg = ZPgErrorSchema.safeParse(error);
  return pg.success ? pg.data.code : undefined;
};

// The database refused the rows for what they hold, not because it is away: class 22 (data exception: invalid byte
// sequence, bad JSON, out of range), 23 (integrity: check, foreign key, not null) and 54 (program limit: index row
// too large). Sending the same rows again can never succeed, so they must not hold up the others; any other error
// (connection refused, timeout, shutdown, missing table) may pass, and the rows wait in the spool.
export const isContentError = (error: unknown): boolean => /^(22|23|54)/.test(sqlStateOf(error) ?? "");
