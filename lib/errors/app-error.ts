// One error type for the whole product; the route wrapper maps codes to HTTP statuses.
export const AppErrorCode = {
  VALIDATION: "VALIDATION",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  MFA_REQUIRED: "MFA_REQUIRED",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "RATE_LIMITED",
  UNAVAILABLE: "UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;

export type TAppErrorCode = (typeof AppErrorCode)[keyof typeof AppErrorCode];

const STATUS: Record<TAppErrorCode, number> = {
  VALIDATION: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  MFA_REQUIRED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export type TFieldErrors = Record<string, string[]>;

export class AppError extends Error {
  readonly code: TAppErrorCode;
  readonly fieldErrors?: TFieldErrors;

  constructor(code: TAppErrorCode, message: string, options: { fieldErrors?: TFieldErrors; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = options.fieldErrors;
  }

  get status(): number {
    return STATUS[this.code];
  }

  static is(value: unknown): value is AppError {
    return value instanceof AppError;
  }
}
