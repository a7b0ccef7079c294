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
  primaryMs: number | null;
  secondFactorMs: number | null;
  attributes: unknown;
  workerId: string;
};

type TRow = Omit<TAuthEventView, "id" | "time" | "application"> & { id: bigint; time: Date; application?: { name: string } | null };

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
  primaryMs: row.primaryMs,
  secondFactorMs: row.secondFactorMs,
  attributes: row.attributes,
  workerId: row.workerId,
});

const CSV_COLUMNS = ["time", "usernameRaw", "username", "application", "clientName", "nasIp", "callingStationId", "factor", "result", "reason", "primaryMs", "secondFactorMs", "workerId"] as const;

const csvCell = (value: unknown): string => {
  const text = value === null || value === undefined ? "" : String(value);
  // Leading = + - @ would run as a formula in a spreadsheet: prefix with ' (OWASP CSV injection advice).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const authEventCsvHeader = (): string => `${CSV_COLUMNS.join(",")}\n`;
export const authEventCsvLine = (view: TAuthEventView): string => `${CSV_COLUMNS.map((column) => csvCell(view[column])).join(",")}\n`;
