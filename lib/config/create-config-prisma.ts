import { createPrismaClient, type TPrisma } from "../db";

// Same secret-omitting defaults as lib/db, for a process (or test) that talks to a database other than DATABASE_URL.
export const createConfigPrisma = (options: { databaseUrl: string; max?: number; connectionTimeoutMs?: number }): TPrisma =>
  createPrismaClient({
    url: options.databaseUrl,
    max: options.max ?? 4,
    connectionTimeoutMs: options.connectionTimeoutMs ?? 3000,
    // A query on a connection that died without a FIN (server killed, network cut) would otherwise wait forever.
    queryTimeoutMs: 15_000,
  });
