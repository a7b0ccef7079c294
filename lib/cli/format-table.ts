// Aligned columns for a terminal; scripts use --json instead of parsing this.
export const formatTable = (options: { headers: string[]; rows: string[][] }): string => {
  const widths = options.headers.map((header, column) => Math.max(header.length, ...options.rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  return [line(options.headers), ...options.rows.map(line)].join("\n");
};

export const formatDate = (value: Date | null | undefined): string => (value ? value.toISOString().replace(/\.\d{3}Z$/, "Z") : "-");
