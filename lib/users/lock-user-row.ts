import { z } from "zod";
import type { TPrisma } from "../db";

type TTx = Parameters<Parameters<TPrisma["$transaction"]>[0]>[0];

const ZLockedRowSchema = z.array(z.object({ id: z.string() }));

// Takes the user's row lock for the rest of the transaction, so what it then reads of the row is what it writes over:
// a lockout, fraud report or disable committing meanwhile waits for it, or is seen by it. False: no such user.
export const lockUserRow = async (options: { tx: TTx; id: string }): Promise<boolean> => {
  const rows = ZLockedRowSchema.parse(await options.tx.$queryRaw`SELECT id::text AS id FROM "User" WHERE id = ${options.id}::uuid FOR UPDATE`);
  return rows.length > 0;
};
