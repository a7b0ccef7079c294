import { CsvError, parse } from "csv-parse/sync";
import { z } from "zod";

export type TCsvLine = { line: number; cells: string[] } | { line: number; error: string };

export const CSV_MAX_LINE_CHARS = 4096;
export const CSV_MAX_LINES = 100_000;

const ZRecordsSchema = z.array(z.array(z.string()));

// csv-parse's codes, in words that never quote the cell: a password column must not be echoed back in an error.
const CSV_ERROR_MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted field is not closed (quotes must open and close on the same line)",
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by something other than a comma (write a quote inside a quoted field as "")',
  CSV_INVALID_OPENING_QUOTE: 'a quote appears inside a field that does not start with one (quote the whole field and write the quote as "")',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "a closing quote is followed by something other than a comma",
};

// Every line of these files is one record: no value we import (names, emails, groups, secrets, passwords) may hold a
// line break. So the file is cut into lines first and csv-parse reads each one on its own: a broken quote costs only
// its own line instead of silently swallowing the rest of the file, as one stream would. Blank lines and "#" comments
// are skipped; a leading BOM is dropped.
export const parseCsvLines = ({ text, delimiters = [","] }: { text: string; delimiters?: string[] }): TCsvLine[] => {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  if (lines.length > CSV_MAX_LINES) return [{ line: CSV_MAX_LINES + 1, error: `the file has more than ${CSV_MAX_LINES} lines; split it` }];
  const result: TCsvLine[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) return;
    if (raw.length > CSV_MAX_LINE_CHARS) return void result.push({ line, error: `the line is longer than ${CSV_MAX_LINE_CHARS} characters` });
    // Tab is a legitimate separator in pasted spreadsheets' cells only when quoted; other control bytes never are.
    if (/[\u0000-\u0008\u000B-\u001F\u007F]/.test(raw)) return void result.push({ line, error: "the line contains control characters" });
    if (raw.includes("\uFFFD")) return void result.push({ line, error: "the line is not valid UTF-8 (save the file as UTF-8)" });
    try {
      const records = ZRecordsSchema.parse(parse(raw, { delimiter: delimiters, relax_column_count: true }));
      result.push({ line, cells: records[0] ?? [] });
    } catch (error) {
      const code = error instanceof CsvError ? error.code : "";
      result.push({ line, error: CSV_ERROR_MESSAGES[code] ?? "the line is not valid CSV" });
    }
  });
  return result;
};
