import { createPgClient } from "../db/pg-connection";

export type TDatabaseReachability = "reachable" | "unreachable";
export type TDatabaseProbe = () => Promise<TDatabaseReachability>;

export type TCreateDatabaseProbeOptions = {
  databaseUrl: string;
  connectTimeoutMs?: number; // default 2 s: "no connection within the bound" is what makes a database unreachable
  reuseMs?: number; // default 1 s: one probe answers every request failing in the same moment
};

// A server that answered the connection attempt with an error of its own (too many clients, bad password, no such
// database) is reachable; only these mean it could not be reached or is not accepting sessions at all. With a
// multi-host DATABASE_URL asking for read-write, a host that answers only as a standby counts as not accepting them.
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "57P01", "57P02", "57P03", "TWOFOLD_NO_WRITABLE_DATABASE"]);
const UNREACHABLE_MESSAGES = /timeout expired|connection terminated|connection timeout|Connection ended|ECONNREFUSED|ECONNRESET/i;

const isUnreachable = (error: unknown): boolean => {
  if (!(error instanceof Error)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return UNREACHABLE_CODES.has(code);
  return UNREACHABLE_MESSAGES.test(error.message);
};

// Opens a fresh connection of its own, outside every pool: a pool that is full or a query that is slow says nothing
// about whether PostgreSQL can be reached, and fail mode "safe" may only open on the latter. Concurrent callers share
// one attempt and its answer for reuseMs, so an outage under load costs one connection attempt, not one per request.
export const createDatabaseProbe = ({ databaseUrl, connectTimeoutMs = 2000, reuseMs = 1000 }: TCreateDatabaseProbeOptions): TDatabaseProbe => {
  let last: { settledAt?: number; answer: Promise<TDatabaseReachability> } | undefined;

  const attempt = async (): Promise<TDatabaseReachability> => {
    const client = createPgClient(databaseUrl, { connectionTimeoutMillis: connectTimeoutMs, query_timeout: connectTimeoutMs, application_name: "twofold-probe" });
    client.on("error", () => undefined); // a socket error after connect must not become an uncaught exception
    let guard: NodeJS.Timeout | undefined;
    // pg's own connect timeout covers the TCP and startup phases; this also bounds DNS and TLS.
    const bound = new Promise<"timeout">((resolve) => {
      guard = setTimeout(() => resolve("timeout"), connectTimeoutMs + 500);
    });
    try {
      const connected = await Promise.race([client.connect().then(() => "connected" as const, (error: unknown) => error), bound]);
      if (connected === "timeout") return "unreachable";
      if (connected !== "connected") return isUnreachable(connected) ? "unreachable" : "reachable";
      // Connected is reachable; SELECT 1 only confirms the session works, its failure does not make the server absent.
      await client.query("SELECT 1").catch(() => undefined);
      return "reachable";
    } finally {
      clearTimeout(guard);
      void client.end().catch(() => undefined);
    }
  };

  return () => {
    const stale = last?.settledAt !== undefined && Date.now() - last.settledAt > reuseMs;
    if (!last || stale) {
      const entry: { settledAt?: number; answer: Promise<TDatabaseReachability> } = { answer: attempt() };
      void entry.answer.finally(() => {
        entry.settledAt = Date.now();
      });
      last = entry;
    }
    return last.answer;
  };
};
