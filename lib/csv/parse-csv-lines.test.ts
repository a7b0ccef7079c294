import { describe, expect, it } from "vitest";
import { CSV_MAX_LINE_CHARS, parseCsvLines } from "./parse-csv-lines";

describe("parseCsvLines", () => {
  it("reads RFC 4180 quoting with csv-parse, one record per line, BOM, CRLF, blanks and comments skipped", () => {
    const text = '\uFEFFa,"b, with comma","say ""hi"""\r\n\r\n# comment\n"",x\rlast';
    expect(parseCsvLines({ text })).toEqual([
      { line: 1, cells: ["a", "b, with comma", 'say "hi"'] },
      { line: 4, cells: ["", "x"] },
      { line: 5, cells: ["last"] },
    ]);
  });

  it("confines an unclosed quote to its own line: the lines after it are still read", () => {
    const result = parseCsvLines({ text: 'alice,a@x\n"bob,b@x\ncarol,c@x\ndave,"d"x\nerin' });
    expect(result).toEqual([
      { line: 1, cells: ["alice", "a@x"] },
      { line: 2, error: expect.stringContaining("quoted field is not closed") },
      { line: 3, cells: ["carol", "c@x"] },
      { line: 4, error: expect.stringContaining("closing quote") },
      { line: 5, cells: ["erin"] },
    ]);
  });

  it("refuses control bytes, replacement characters from invalid UTF-8 and over-long lines without quoting them", () => {
    const secret = "s3cr3t-value";
    const result = parseCsvLines({ text: [`a,${secret}\u0000`, `b,${secret}\u001b[31m`, `c,\uFFFD${secret}`, `d,${"x".repeat(CSV_MAX_LINE_CHARS)}`, "e,\tok"].join("\n") });
    expect(result.map((entry) => ("error" in entry ? entry.error : entry.cells.join("|")))).toEqual([
      "the line contains control characters",
      "the line contains control characters",
      "the line is not valid UTF-8 (save the file as UTF-8)",
      `the line is longer than ${CSV_MAX_LINE_CHARS} characters`,
      "e|\tok",
    ]);
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it("takes several delimiters when asked (vendors' seed files)", () => {
    expect(parseCsvLines({ text: "a;b\tc,d", delimiters: [",", ";", "\t"] })).toEqual([{ line: 1, cells: ["a", "b", "c", "d"] }]);
  });
});
