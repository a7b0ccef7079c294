import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

// Secret columns are omitted from every query unless a caller asks for them by name (`omit: { secret: false }`).
const OMIT_SECRETS = {
  admin: { passwordHash: true, totpSecret: true },
  application: { skey: true },
  radiusClient: { secret: true },
  primaryAuthServer: { secret: true },
  authenticator: { secret: true },
  user: { passwordHash: true },
  bypassCode: { codeHash: true },
} as const;

const createClient = (url: string) =>
  new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }), omit: OMIT_SECRETS });

export type TPrisma = ReturnType<typeof createClient>;

const globalForPrisma = globalThis as unknown as { twofoldPrisma?: TPrisma };

export const getPrisma = (): TPrisma => {
  if (!globalForPrisma.twofoldPrisma) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    globalForPrisma.twofoldPrisma = createClient(url);
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
