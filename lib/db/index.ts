import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { pgPoolConfig } from "./pg-connection";

// Secret columns are omitted from every query unless a caller asks for them by name (`omit: { secret: false }`).
export const OMIT_SECRETS = {
  admin: { passwordHash: true, totpSecret: true },
  application: { skey: true },
  radiusClient: { secret: true },
  primaryAuthServer: { secret: true },
  authenticator: { secret: true },
  user: { passwordHash: true },
  bypassCode: { codeHash: true },
} as const;

// Connection options beyond the URL are for processes that must not hang on a dead server (the worker's config reader).
export const createPrismaClient = (options: { url: string; max?: number; connectionTimeoutMs?: number; queryTimeoutMs?: number }) =>
  new PrismaClient({
    adapter: new PrismaPg(
      pgPoolConfig(options.url, {
        max: options.max ?? 10,
        connectionTimeoutMillis: options.connectionTimeoutMs,
        query_timeout: options.queryTimeoutMs,
      }),
    ),
    omit: OMIT_SECRETS,
  });

export type TPrisma = ReturnType<typeof createPrismaClient>;

const globalForPrisma = globalThis as unknown as { twofoldPrisma?: TPrisma };

export const getPrisma = (): TPrisma => {
  if (!globalForPrisma.twofoldPrisma) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    globalForPrisma.twofoldPrisma = createPrismaClient({ url });
  }
  return globalForPrisma.twofoldPrisma;
};

// A Proxy so modules can `import { prisma }` without connecting at import time (Next builds import every route).
export const prisma: TPrisma = new Proxy({} as TPrisma, {
  get: (_target, property) => Reflect.get(getPrisma(), property),
});

export const disconnectPrisma = async (): Promise<void> => {
  await globalForPrisma.twofoldPrisma?.$disconnect();
  globalForPrisma.twofoldPrisma = undefined;
};

export * from "./generated/enums";
export { Prisma } from "./generated/client";
