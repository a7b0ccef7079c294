// Duo's error envelope ({ stat: "FAIL", code, message, message_detail }) with Duo's codes. The HTTP status is chosen
// per API family by httpStatusFor: see there why the Auth API never answers 401 or 5xx.
export type TApiFamily = "auth" | "admin";

export type TDuoError = { code: number; message: string; detail?: string };

export const DUO_ERRORS = {
  missingCredentials: { code: 40101, message: "Missing request credentials" },
  invalidIkey: { code: 40102, message: "Invalid integration key in request credentials" },
  invalidSignature: { code: 40103, message: "Invalid signature in request credentials" },
  missingDate: { code: 40104, message: "Missing request date" },
  staleDate: { code: 40105, message: "Request date is invalid or too far from the server's time" },
  missingParameter: { code: 40001, message: "Missing required request parameters" },
  invalidParameter: { code: 40002, message: "Invalid request parameters" },
  forbidden: { code: 40301, message: "Access forbidden" },
  notFound: { code: 40401, message: "Resource not found" },
  methodNotAllowed: { code: 40501, message: "HTTP method not allowed" },
  tooManyTransactions: { code: 42901, message: "Too many pending transactions" },
  internal: { code: 50000, message: "Internal error: the request was not processed (see the Twofold worker log)" },
} as const satisfies Record<string, TDuoError>;

export const duoError = (base: TDuoError, detail?: string): TDuoError => (detail ? { ...base, detail } : { ...base });

export class DuoApiError extends Error {
  constructor(readonly error: TDuoError) {
    super(`${error.code} ${error.message}${error.detail ? ` (${error.detail})` : ""}`);
  }
}

// Duo's own pam_duo/login_duo (and, with failmode=safe, the Authentication Proxy) let the user in on a 401 ("Invalid
// ikey or skey" → fail safe) and on any 5xx ("service down"). A wrong skey, a forged or replayed signature, a stale
// Date or a bug in Twofold must never open that door, so every Auth API error is a 4xx other than 401 (they abort:
// access denied), the code in the body still saying what Duo would say. The Admin API has no fail mode: Duo's statuses.
export const httpStatusFor = (family: TApiFamily, error: TDuoError): number => {
  const status = Math.floor(error.code / 100);
  if (family === "admin") return status;
  return status === 401 || status >= 500 ? 400 : status;
};

export const errorBody = (error: TDuoError): Record<string, string | number> => ({
  stat: "FAIL",
  code: error.code,
  message: error.message,
  ...(error.detail ? { message_detail: error.detail } : {}),
});
