import type { TDatabaseProbe } from "./create-database-probe";

export type TDatabaseFailure = "unreachable" | "error";

export class DatabaseTimeoutError extends Error {
  constructor(ms: number) {
    super(`database did not answer within ${ms} ms`);
    this.name = "DatabaseTimeoutError";
  }
}

// Failures that happen on a reachable server, however they look: a full pool (pg-pool's wait for a free client,
// Prisma's P2024), a statement or lock timeout, the server's own "too many clients". Anyone who can send logins can
// cause these, so they must never open fail mode "safe".
const ERROR_CODES = new Set(["57014", "55P03", "53300", "P2024"]);
const ERROR_KINDS = new Set(["TooManyConnections"]);
const ERROR_MESSAGES = /timeout exceeded when trying to connect|statement timeout|lock timeout|too many clients|Cannot use a pool after calling end/i;

// Failures that may mean the server is gone, or may be a slow or restarted server: only a fresh connection can tell.
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "P1001", "P1002", "P1017", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08006", "TWOFOLD_NO_WRITABLE_DATABASE"]);
const CONNECTION_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
const CONNECTION_MESSAGES = /no writable PostgreSQL|can't reach database|connection terminated|Connection ended|timeout expired|Query read timeout|the database system is (starting up|shutting down)|terminating connection|server closed the connection|ECONNREFUSED|ECONNRESET/i;

type TFacts = { codes: string[]; kinds: string[]; messages: string[]; timedOut: boolean };

// Prisma keeps the driver's error under meta.driverAdapterError(.cause), pg and Node under cause or errors.
const collectFacts = (error: unknown): TFacts => {
  const facts: TFacts = { codes: [], kinds: [], messages: [], timedOut: false };
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 16; seen += 1) {
    const current = queue.shift();
    if (current instanceof DatabaseTimeoutError) facts.timedOut = true;
    if (!current || typeof current !== "object") continue;
    const record = current as { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; originalMessage?: unknown; cause?: unknown; meta?: unknown; errors?: unknown };
    for (const value of [record.code, record.originalCode]) if (typeof value === "string") facts.codes.push(value);
    if (typeof record.kind === "string") facts.kinds.push(record.kind);
    for (const value of [record.message, record.originalMessage]) if (typeof value === "string") facts.messages.push(value);
    queue.push(record.cause);
    if (Array.isArray(record.errors)) queue.push(...record.errors); // AggregateError: Node tried several addresses
    if (record.meta && typeof record.meta === "object") queue.push((record.meta as { driverAdapterError?: unknown }).driverAdapterError);
  }
  return facts;
};

const matches = (facts: TFacts, codes: Set<string>, kinds: Set<string>, messages: RegExp) =>
  facts.codes.some((code) => codes.has(code)) || facts.kinds.some((kind) => kinds.has(kind)) || facts.messages.some((message) => messages.test(message));

// The one place that decides whether a database failure is an outage (fail mode applies) or an error (reject).
// A connection-level failure is believed only when a fresh connection confirms it: if the probe connects, the
// database is reachable and the failure is an error, whatever it looked like. A probe that itself fails is an error.
export const classifyDatabaseFailure = async ({ error, probe }: { error: unknown; probe: TDatabaseProbe }): Promise<TDatabaseFailure> => {
  const facts = collectFacts(error);
  if (matches(facts, ERROR_CODES, ERROR_KINDS, ERROR_MESSAGES)) return "error";
  if (!facts.timedOut && !matches(facts, CONNECTION_CODES, CONNECTION_KINDS, CONNECTION_MESSAGES)) return "error";
  const reachability = await probe().catch(() => "reachable" as const);
  return reachability === "unreachable" ? "unreachable" : "error";
};
