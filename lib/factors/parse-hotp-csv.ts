import { parseCsvLines } from "../csv/parse-csv-lines";
import { parseOtpSecret } from "./otp-secret";

export type THotpCsvRow = { line: number; serial: string; secretBase32: string; counter: number; username?: string };
export type THotpCsvError = { line: number; message: string };

// Columns: serial, secret (hex or base32; "hex:"/"base32:" prefix forces one), counter, optional username.
// A header line (first cell "serial") and blank or "#" lines are skipped. Every bad row is reported, none aborts the file.
export const parseHotpCsv = ({ csv }: { csv: string }): { rows: THotpCsvRow[]; errors: THotpCsvError[] } => {
  const rows: THotpCsvRow[] = [];
  const errors: THotpCsvError[] = [];
  const seen = new Set<string>();
  // Vendors' seed files use commas, semicolons or tabs: csv-parse takes all three (lib/csv/parse-csv-lines.ts).
  parseCsvLines({ text: csv, delimiters: [",", ";", "\t"] }).forEach((parsed, index) => {
    const { line } = parsed;
    if ("error" in parsed) return void errors.push({ line, message: `Not valid CSV: ${parsed.error}` });
    const cells = parsed.cells.map((cell) => cell.trim());
    const [serial = "", secretCell = "", counterCell = "", username] = cells;
    if (index === 0 && serial.toLowerCase() === "serial") return;
    if (cells.length < 3 || cells.length > 4) return void errors.push({ line, message: "Expected serial, secret, counter[, username]" });
    if (!/^[\w.:-]{1,64}$/.test(serial)) return void errors.push({ line, message: "Serial must be 1–64 letters, digits, '.', ':', '_' or '-'" });
    if (seen.has(serial)) return void errors.push({ line, message: `Serial ${serial} appears twice in the file` });
    const prefixed = /^(hex|base32):(.*)$/i.exec(secretCell);
    const encoding = prefixed ? (prefixed[1]?.toLowerCase() as "hex" | "base32") : "auto";
    const secret = parseOtpSecret({ text: prefixed?.[2] ?? secretCell, encoding });
    if ("error" in secret) return void errors.push({ line, message: secret.error });
    if (!/^\d{1,15}$/.test(counterCell || "0")) return void errors.push({ line, message: "Counter must be a non-negative integer" });
    seen.add(serial);
    rows.push({ line, serial, secretBase32: secret.base32, counter: Number(counterCell || "0"), username: username || undefined });
  });
  return { rows, errors };
};
