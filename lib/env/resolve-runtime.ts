import path from "node:path";
import { startEmbeddedPostgres, type TEmbeddedDatabase } from "../db/embedded-postgres";
import { loadOrCreateKeyFile, parseSecretKey } from "../secrets/secret-key";
import type { TServerEnv } from "./server-env";

export type TRuntime = { databaseUrl: string; secretKey: string; embedded?: TEmbeddedDatabase };

// External DATABASE_URL: the operator must supply the key. Embedded default: the key lives beside the data.
export const resolveRuntime = async (options: { env: TServerEnv; log: (line: string) => void }): Promise<TRuntime> => {
  const { env, log } = options;
  const dataDir = path.resolve(env.TWOFOLD_DATA_DIR);
  if (env.TWOFOLD_SECRET_KEY) parseSecretKey(env.TWOFOLD_SECRET_KEY);
  if (env.DATABASE_URL) {
    if (!env.TWOFOLD_SECRET_KEY) throw new Error("TWOFOLD_SECRET_KEY is required with an external DATABASE_URL (openssl rand -base64 32)");
    return { databaseUrl: env.DATABASE_URL, secretKey: env.TWOFOLD_SECRET_KEY };
  }
  const secretKey = env.TWOFOLD_SECRET_KEY ?? loadOrCreateKeyFile(dataDir);
  parseSecretKey(secretKey);
  log(`starting embedded PostgreSQL in ${dataDir}/postgres on 127.0.0.1:${env.TWOFOLD_PG_PORT}`);
  const embedded = await startEmbeddedPostgres({ dataDir, port: env.TWOFOLD_PG_PORT });
  return { databaseUrl: embedded.url, secretKey, embedded };
};
