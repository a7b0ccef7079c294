import { randomInt } from "node:crypto";
import { z } from "zod";
import type { TPrisma } from "../db";
import { AppError } from "../errors/app-error";
import { hashBypassCode } from "./hash-bypass-code";

export const BYPASS_CODE_DIGITS = 12;
export const MAX_BYPASS_CODE_HOURS = 24 * 90;

export const ZGenerateBypassCodesInputSchema = z.object({
  count: z.number().int().min(1).max(20).default(1),
  uses: z.number().int().min(1).max(100).default(1),
  expiresInMinutes: z.number().int().min(1).max(60 * MAX_BYPASS_CODE_HOURS).nullable().default(60 * 24),
});
export type TGenerateBypassCodesInput = z.input<typeof ZGenerateBypassCodesInputSchema>;

// The console's "Valid for (hours)" field, checked whole so a typo is shown beside the field instead of becoming 24 h.
// Empty is refused too: the form says nothing about a default, so a cleared field is a question, not a choice.
const HOURS_MESSAGE = `Enter a whole number of hours from 1 to ${MAX_BYPASS_CODE_HOURS}`;
export const ZBypassCodeFormSchema = z.object({
  expiresInHours: z
    .string(HOURS_MESSAGE)
    .trim()
    .regex(/^\d+$/, HOURS_MESSAGE)
    .transform(Number)
    .pipe(z.number().int().min(1, HOURS_MESSAGE).max(MAX_BYPASS_CODE_HOURS, HOURS_MESSAGE)),
});
export type TBypassCodeForm = z.output<typeof ZBypassCodeFormSchema>;

// The client or the caller's transaction, so the codes commit with the audit row that records them.
export type TGenerateBypassCodesOptions = { prisma: Pick<TPrisma, "bypassCode">; userId: string; createdBy: string; input: TGenerateBypassCodesInput; now?: Date };

const randomDigits = (length: number): string => Array.from({ length }, () => String(randomInt(10))).join("");

// Returns the plaintext codes exactly once; only their keyed hashes are stored.
export const generateBypassCodes = async ({ prisma, userId, createdBy, input, now = new Date() }: TGenerateBypassCodesOptions) => {
  const parsed = ZGenerateBypassCodesInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION", "Invalid bypass code request", { fieldErrors: z.flattenError(parsed.error).fieldErrors });
  const { count, uses, expiresInMinutes } = parsed.data;
  const expiresAt = expiresInMinutes === null ? null : new Date(now.getTime() + expiresInMinutes * 60_000);
  const codes = Array.from({ length: count }, () => randomDigits(BYPASS_CODE_DIGITS));
  await prisma.bypassCode.createMany({
    data: codes.map((code) => ({ userId, codeHash: hashBypassCode(code), remainingUses: uses, expiresAt, createdBy })),
  });
  return { codes, uses, expiresAt };
};
