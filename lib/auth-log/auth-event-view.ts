import { describeReason } from "./reason-messages";

// A JSON-safe row for the browser (bigint ids and dates become strings).
export type TAuthEventView = {
  id: string;
  time: string;
  usernameRaw: string;
  username: string;
  userId: string | null;
  application: string | null;
  clientName: string | null;
  nasIp: string | null;
  callingStationId: string | null;
  factor: string | null;
  result: string;
  reason: string;
  reasonText: string; // the reason in plain language (lib/auth-log/reason-messages.ts), beside the code
  primaryMs: number | null;
  secondFactorMs: number | null;
  attributes: unknown;
  workerId: string;
  loginId: string | null; // shared by one login's events, whichever workers logged them (a NAS failing over)
};

type TRow = Omit<TAuthEventView, "id" | "time" | "application" | "reasonText" | "loginId"> & { id: bigint; time: Date; application?: { name: string } | null; loginId?: string | null };

export const toAuthEventView = (row: TRow): TAuthEventView => ({
  id: row.id.toString(),
  time: row.time.toISOString(),
  usernameRaw: row.usernameRaw,
  username: row.username,
  userId: row.userId,
  application: row.application?.name ?? null,
  clientName: row.clientName,
  nasIp: row.nasIp,
  callingStationId: row.callingStationId,
  factor: row.factor,
  result: row.result,
  reason: row.reason,
  reasonText: describeReason(row.reason),
  primaryMs: row.primaryMs,
  secondFactorMs: row.secondFactorMs,
  attributes: row.attributes,
  workerId: row.workerId,
  loginId: row.loginId ?? null,
});

const CSV_COLUMNS = ["time", "usernameRaw", "username", "application", "clientName", "nasIp", "callingStationId", "factor", "result", "reason", "reasonText", "primaryMs", "secondFactorMs", "workerId", "loginId"] as const;

const csvCell = (value: unknown): string => {
  const text = value === null || value === undefined ? "" : String(value);
  // Leading = + - @ would run as a formula in a spreadsheet: prefix with ' (OWASP CSV injection advice).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const authEventCsvHeader = (): string => `${CSV_COLUMNS.join(",")}\n`;
export const authEventCsvLine = (view: TAuthEventView): string => `${CSV_COLUMNS.map((column) => csvCell(view[column])).join(",")}\n`;
