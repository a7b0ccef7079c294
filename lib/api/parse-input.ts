import type { z } from "zod";
import { AppError, type TFieldErrors } from "../errors/app-error";

// zod at the boundary: a failed parse becomes VALIDATION with per-field messages the form can show beside each input.
export const parseInput = <TSchema extends z.ZodType>(schema: TSchema, input: unknown): z.output<TSchema> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationError(parsed.error);
};

export const validationError = (error: z.ZodError): AppError => {
  const fieldErrors: TFieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "_form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return new AppError("VALIDATION", "Some fields need attention", { fieldErrors });
};

export const fieldError = (field: string, message: string): AppError =>
  new AppError("VALIDATION", "Some fields need attention", { fieldErrors: { [field]: [message] } });
