import { z } from "zod";
import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { parseInput } from "../api/parse-input";
import { recordAuditEvent } from "../audit/record-audit-event";
import { importHotpTokens } from "../factors/import-hotp-tokens";

export const MAX_TOKEN_CSV_BYTES = 1_000_000;

export const ZImportHardwareTokensInputSchema = z.object({
  csv: z
    .string()
    .refine((csv) => csv.trim() !== "", "Paste the CSV or choose a file")
    .refine((csv) => Buffer.byteLength(csv, "utf8") <= MAX_TOKEN_CSV_BYTES, "The CSV is larger than 1 MB"),
  digits: z.coerce.number().refine((digits) => digits === 6 || digits === 8, "Digits must be 6 or 8"),
});
export type TImportHardwareTokensInput = z.input<typeof ZImportHardwareTokensInputSchema>;

export type TImportHardwareTokensResult = { imported: { serial: string; username: string }[]; rowErrors: string[] };

// Rows are independent (one bad serial must not hold back a box of good tokens), so good rows land and bad rows are
// reported. Each token commits with its own audit event (serial, username, digits); the seeds never leave the secret
// column.
export const importHardwareTokens = async (options: { prisma: TPrisma; actor: TActor; input: unknown }): Promise<TImportHardwareTokensResult> => {
  const { csv, digits } = parseInput(ZImportHardwareTokensInputSchema, options.input);
  const result = await importHotpTokens({
    prisma: options.prisma, csv: csv.replace(/^\uFEFF/, ""), digits,
    onImported: ({ tx, token }) =>
      recordAuditEvent({
        db: tx, actor: options.actor, action: "authenticator.import_hotp", targetType: "Authenticator", targetId: token.authenticatorId,
        after: { serial: token.serial, username: token.username, digits },
      }),
  });
  if (result.imported.length === 0 && result.errors.length === 0) {
    throw new AppError("VALIDATION", "The file has no rows", { fieldErrors: { csv: ["The file has no rows"] } });
  }
  const imported = result.imported.map(({ serial, username }) => ({ serial, username }));
  return { imported, rowErrors: result.errors.map((error) => `Line ${error.line}: ${error.message}`) };
};
