import type { TFieldErrors } from "../errors/app-error";
import { toErrorResult } from "./to-error-result";

export type TActionResult<T = undefined> =
  | { ok: true; data: T; error?: undefined; fieldErrors?: undefined; code?: undefined }
  | { ok: false; data?: undefined; error: string; code: string; fieldErrors?: TFieldErrors };

// The one wrapper for server actions: same error mapping as routes, returned as data the form renders.
// Next's redirect()/notFound() signal by throwing; those must pass through untouched.
export const handleAction = async <T>(run: () => Promise<T>): Promise<TActionResult<T>> => {
  try {
    return { ok: true, data: await run() };
  } catch (error) {
    if (isFrameworkSignal(error)) throw error;
    const { status: _status, ...result } = toErrorResult(error);
    return { ok: false, ...result };
  }
};

const isFrameworkSignal = (error: unknown): boolean => {
  const digest = typeof error === "object" && error !== null && "digest" in error ? (error as { digest: unknown }).digest : undefined;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK") || digest === "NEXT_NOT_FOUND");
};
