import { z } from "zod";
import { toDuoAuthLog, type TAuthLogRow } from "../duo-api/to-duo-authlog";

export type TSiemStream = "auth" | "audit";

// One event as every target sends it: `body` is the JSON a Duo log parser reads; the ids let a receiver dedupe.
export type TSiemRecord = {
  stream: TSiemStream;
  id: bigint; // the table's id
  xactId: bigint; // with id, the cursor position
  eventId?: string; // the auth event's uuid (Duo's txid)
  time: Date;
  msgid: "authentication" | "administrator";
  severity: number; // RFC 5424 §6.2.1
  body: Record<string, unknown>;
};

// RFC 5424 severities: a denial is what a SOC alerts on, an internal error is ours.
const SEVERITY: Record<string, number> = { success: 6, failure: 4, fraud: 4, error: 3 };

// Duo's authentication log (Admin API v2, the mapping lib/duo-api already serves), plus `eventtype` as Duo's own log
// sync writes it, plus Twofold's raw values under `twofold` for rules that want them.
export const authRecord = (row: TAuthLogRow & { xactId: bigint; workerId: string; usernameRaw: string }): TSiemRecord => ({
  stream: "auth",
  id: row.id,
  xactId: row.xactId,
  eventId: row.eventId,
  time: row.time,
  msgid: "authentication",
  severity: SEVERITY[row.result] ?? 5,
  body: {
    ...toDuoAuthLog(row),
    eventtype: "authentication",
    // username_raw: what the NAS sent, as the auth log stores it (control bytes and invalid UTF-8 as \xHH).
    twofold: { id: String(row.id), username_raw: row.usernameRaw, result: row.result, reason: row.reason, factor: row.factor, nas_ip: row.nasIp, worker_id: row.workerId },
  },
});

export const ZAuditRowSchema = z.object({
  id: z.bigint(),
  xactId: z.bigint(),
  createdAt: z.date(),
  actorEmail: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
});
export type TAuditRow = z.infer<typeof ZAuditRowSchema>;

// Duo's administrator log (Admin API /admin/v1/logs/administrator): action, description (a JSON string), object,
// username, timestamp. before/after are already redacted when the audit row is written (lib/audit/redact.ts).
export const auditRecord = (row: TAuditRow): TSiemRecord => ({
  stream: "audit",
  id: row.id,
  xactId: row.xactId,
  time: row.createdAt,
  msgid: "administrator",
  severity: 5,
  body: {
    action: row.action,
    description: JSON.stringify({ target_type: row.targetType, target_id: row.targetId, before: row.before ?? null, after: row.after ?? null, ip: row.ip }),
    eventtype: "administrator",
    isotimestamp: row.createdAt.toISOString(),
    object: row.targetId ?? row.targetType,
    timestamp: Math.floor(row.createdAt.getTime() / 1000),
    username: row.actorEmail,
    twofold: { id: String(row.id), target_type: row.targetType, ip: row.ip },
  },
});
