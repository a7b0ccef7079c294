import { readServerEnv, type TServerEnv } from "../env/server-env";
import type { TCliContext, TCliDatabase } from "./cli-types";
import { resolveCliDatabase } from "./resolve-cli-database";

// The environment and the database are read only by commands that need them: `--help` works anywhere.
export const createCliContext = (options: { env: Record<string, string | undefined> }): { context: TCliContext; close: () => Promise<void> } => {
  let env: TServerEnv | undefined;
  let opened: Promise<TCliDatabase & { stop?: () => Promise<void> }> | undefined;
  const readEnv = () => (env ??= readServerEnv(options.env));
  const database = () =>
    (opened ??= resolveCliDatabase({ env: readEnv() }).then(async (target) => {
      // lib/secrets/envelope.ts reads the key from the environment, as in the console and the worker.
      if (target.secretKey) process.env.TWOFOLD_SECRET_KEY = target.secretKey;
      else delete process.env.TWOFOLD_SECRET_KEY;
      // Loaded here, not at start: `--help` and usage errors need no Prisma client.
      const { createPrismaClient } = await import("../db");
      // Two connections are plenty for one command; a short connect timeout keeps a wrong URL from hanging it.
      return { ...target, prisma: createPrismaClient({ url: target.databaseUrl, max: 2, connectionTimeoutMs: 5000 }) };
    }));
  return {
    context: { env: readEnv, database },
    close: async () => {
      const current = await opened?.catch(() => undefined);
      await current?.prisma.$disconnect().catch(() => undefined);
      await current?.stop?.();
    },
  };
};
