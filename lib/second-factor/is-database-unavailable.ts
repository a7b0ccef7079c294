// Connection-level failures (refused, reset, timed out, server shutting down, Prisma's "can't reach") as opposed to a
// bug or a constraint error: only these trigger the policy's fail mode, anything else is an error outcome.
const CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "P1001", "P1002", "P1017", "P2024", "57P01", "57P02", "57P03"]);
const MESSAGES = /can't reach database|connection terminated|connection refused|ECONNREFUSED|ECONNRESET|timeout exceeded when trying to connect|database is unreachable|Connection ended|the database system is (starting up|shutting down)|DatabaseNotReachable|terminating connection/i;

export class DatabaseTimeoutError extends Error {
  constructor(ms: number) {
    super(`database did not answer within ${ms} ms`);
    this.name = "DatabaseTimeoutError";
  }
}

export const isDatabaseUnavailable = (error: unknown): boolean => {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current; depth += 1) {
    if (current instanceof DatabaseTimeoutError) return true;
    if (typeof current === "object") {
      const record = current as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown; originalCode?: unknown };
      for (const value of [record.code, record.kind, record.originalCode]) if (typeof value === "string" && (CODES.has(value) || MESSAGES.test(value))) return true;
      if (typeof record.message === "string" && MESSAGES.test(record.message)) return true;
      current = record.cause;
    } else return false;
  }
  return false;
};
