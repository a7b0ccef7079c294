import { z } from "zod";
import { AppError, type TFieldErrors } from "../errors/app-error";
import { createLogger, type TLogger } from "../log/create-logger";
import { validationError } from "./parse-input";

export type TErrorResult = { status: number; code: string; error: string; fieldErrors?: TFieldErrors };

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";

let logger: TLogger | undefined; // made on first use: importing this module must not open stdout

// Known errors carry their own message; anything else is logged in full and shown as a generic 500.
export const toErrorResult = (error: unknown): TErrorResult => {
  const appError =
    error instanceof z.ZodError ? validationError(error)
    : isUniqueViolation(error) ? new AppError("CONFLICT", "A record with that name already exists")
    : AppError.is(error) ? error
    : undefined;
  if (appError && appError.code !== "INTERNAL") {
    return { status: appError.status, code: appError.code, error: appError.message, fieldErrors: appError.fieldErrors };
  }
  logger ??= createLogger({ name: "console" });
  logger.error({ err: error }, "unexpected error"); // pino's err serializer: type, message, stack, cause
  return { status: 500, code: "INTERNAL", error: "Something went wrong on the server; the details are in its log" };
};
