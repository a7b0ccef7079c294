import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../db/generated/client";
import type { TPrisma } from "../db";

// Same secret-omitting defaults as lib/db, for a process (or test) that talks to a database other than DATABASE_URL.
export const createConfigPrisma = (options: { databaseUrl: string; max?: number; connectionTimeoutMs?: number }): TPrisma =>
  new PrismaClient({
    adapter: new PrismaPg({
      connectionString: options.databaseUrl,
      max: options.max ?? 4,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 3000,
      // A query on a connection that died without a FIN (server killed, network cut) would otherwise wait forever.
      query_timeout: 15_000,
    }),
    omit: {
      admin: { passwordHash: true, totpSecret: true },
      application: { skey: true },
      radiusClient: { secret: true },
      primaryAuthServer: { secret: true },
      authenticator: { secret: true },
      user: { passwordHash: true },
      bypassCode: { codeHash: true },
    },
  });
