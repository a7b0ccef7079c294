import { z } from "zod";
import type { TSiemSender } from "./create-siem-sender";
import type { TSiemDb } from "./siem-db";
import { readSiemBatch, type TSiemPosition } from "./read-siem-batch";
import type { TSiemStream } from "./to-siem-record";

const ZCursorRowSchema = z.object({ xactId: z.string().regex(/^\d+$/), rowId: z.string().regex(/^\d+$/) });

export const SIEM_STREAMS: readonly TSiemStream[] = ["auth", "audit"];

export const ensureSiemCursors = async (options: { db: TSiemDb; targetKeys: string[] }): Promise<void> => {
  for (const target of options.targetKeys) {
    for (const stream of SIEM_STREAMS) {
      await options.db.query(`INSERT INTO "SiemCursor" (target, stream) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [target, stream]);
    }
  }
};

const readCursor = async (db: TSiemDb, target: string, stream: TSiemStream): Promise<TSiemPosition> => {
  const { rows } = await db.query(`SELECT "xactId"::text AS "xactId", "rowId"::text AS "rowId" FROM "SiemCursor" WHERE target = $1 AND stream = $2`, [target, stream]);
  if (rows.length !== 1) throw new Error(`no SIEM cursor for ${target} ${stream}`);
  const row = ZCursorRowSchema.parse(rows[0]);
  return { xactId: BigInt(row.xactId), rowId: BigInt(row.rowId) };
};

// One batch of one stream to one target: read after the cursor, send, and only then move the cursor. A crash between
// the two sends the batch again (at-least-once; the structured data carries the ids to dedupe on). The UPDATE is
// conditional on the position it started from, so a second shipper (which the advisory lock should exclude) could
// never move a cursor backwards or skip.
export const shipSiemBatch = async (options: { db: TSiemDb; sender: TSiemSender; target: string; stream: TSiemStream; limit: number; signal?: AbortSignal }): Promise<number> => {
  const from = await readCursor(options.db, options.target, options.stream);
  const records = await readSiemBatch({ db: options.db, stream: options.stream, after: from, limit: options.limit });
  const last = records.at(-1);
  if (!last) return 0;
  await options.sender.send(records, options.signal);
  const moved = await options.db.query(
    `UPDATE "SiemCursor" SET "xactId" = $3, "rowId" = $4, shipped = shipped + $5, "updatedAt" = now()
     WHERE target = $1 AND stream = $2 AND "xactId" = $6 AND "rowId" = $7`,
    [options.target, options.stream, String(last.xactId), String(last.id), records.length, String(from.xactId), String(from.rowId)],
  );
  if (moved.rowCount !== 1) throw new Error(`SIEM cursor ${options.target} ${options.stream} moved under this shipper`);
  return records.length;
};
