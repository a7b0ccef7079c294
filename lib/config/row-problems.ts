import type { z } from "zod";
import { decryptSecret } from "../secrets/envelope";
import type { TConfigProblem } from "./snapshot-schema";

export const configProblem = (table: string, rowId: string, field: string, message: string, skipped = true): TConfigProblem => ({
  table,
  rowId,
  field,
  message: `${table} ${rowId}: ${field}: ${message}`,
  skipped,
});

// Validates one row; on failure returns the problems (one per bad field) so the caller can skip just that row.
export const validateRow = <S extends z.ZodType>(
  schema: S,
  table: string,
  rowId: string,
  data: unknown,
): { ok: true; value: z.infer<S> } | { ok: false; problems: TConfigProblem[] } => {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.map((issue) =>
    configProblem(table, rowId, issue.path.map(String).join(".") || "(row)", issue.message),
  );
  return { ok: false, problems };
};

export const decryptField = (
  envelope: string | null,
  table: string,
  rowId: string,
  field: string,
  key: Buffer | undefined,
): { ok: true; value: string | null } | { ok: false; problem: TConfigProblem } => {
  if (envelope === null) return { ok: true, value: null };
  try {
    return { ok: true, value: key ? decryptSecret(envelope, key) : decryptSecret(envelope) };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problem: configProblem(table, rowId, field, `cannot be decrypted (wrong TWOFOLD_SECRET_KEY or tampered value: ${why})`),
    };
  }
};
