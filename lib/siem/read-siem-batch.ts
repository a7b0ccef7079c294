import { z } from "zod";
import { ZAuthLogRowSchema } from "../duo-api/to-duo-authlog";
import type { TSiemDb } from "./siem-db";
import { auditRecord, authRecord, ZAuditRowSchema, type TSiemRecord, type TSiemStream } from "./to-siem-record";

export type TSiemPosition = { xactId: bigint; rowId: bigint };

// Only rows whose writing transaction is older than every transaction still running: those can no longer be joined
// by a row with a smaller (xactId, id), so the cursor never passes a row that commits later. Rows written before the
// migration (xactId NULL) fail the comparison and are not streamed.
const VISIBLE = `pg_snapshot_xmin(pg_current_snapshot())::text::bigint`;

const AUTH_SQL = `SELECT e.id::text AS id, e."xactId"::text AS "xactId", e."eventId"::text AS "eventId", e.time AT TIME ZONE 'UTC' AS time,
  e.username, e."usernameRaw", e."userId"::text AS "userId", e."callingStationId", e."nasIp", e."clientName", e.factor, e.result::text AS result, e.reason,
  e."workerId", a.ikey, a.name AS "applicationName"
  FROM "AuthEvent" e LEFT JOIN "Application" a ON a.id = e."applicationId"
  WHERE (e."xactId", e.id) > ($1::bigint, $2::bigint) AND e."xactId" < ${VISIBLE}
  ORDER BY e."xactId", e.id LIMIT $3`;

const AUDIT_SQL = `SELECT id::text AS id, "xactId"::text AS "xactId", "createdAt" AT TIME ZONE 'UTC' AS "createdAt", "actorEmail", action,
  "targetType", "targetId", before, after, ip
  FROM "AdminAuditEvent"
  WHERE ("xactId", id) > ($1::bigint, $2::bigint) AND "xactId" < ${VISIBLE}
  ORDER BY "xactId", id LIMIT $3`;

const bigintText = z.string().regex(/^\d+$/).transform((text) => BigInt(text));

const ZAuthSqlRowSchema = z.looseObject({ id: bigintText, xactId: bigintText, ikey: z.string().nullable(), applicationName: z.string().nullable(), workerId: z.string(), usernameRaw: z.string() });

export const readSiemBatch = async (options: { db: TSiemDb; stream: TSiemStream; after: TSiemPosition; limit: number }): Promise<TSiemRecord[]> => {
  const params = [String(options.after.xactId), String(options.after.rowId), options.limit];
  if (options.stream === "audit") {
    const { rows } = await options.db.query(AUDIT_SQL, params);
    return rows.map((raw: unknown) => {
      const row = z.looseObject({ id: bigintText, xactId: bigintText }).parse(raw);
      return auditRecord(ZAuditRowSchema.parse(row));
    });
  }
  const { rows } = await options.db.query(AUTH_SQL, params);
  return rows.map((raw: unknown) => {
    const row = ZAuthSqlRowSchema.parse(raw);
    const application = row.ikey !== null && row.applicationName !== null ? { ikey: row.ikey, name: row.applicationName } : null;
    return authRecord({ ...ZAuthLogRowSchema.parse({ ...row, application }), xactId: row.xactId, workerId: row.workerId, usernameRaw: row.usernameRaw });
  });
};
