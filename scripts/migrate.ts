// `npm run migrate`: apply prisma/migrations to DATABASE_URL (for running console and worker as separate services).
import { applyMigrations } from "../lib/db/migrate";
import { readServerEnv } from "../lib/env/server-env";
import { createLogger } from "../lib/log/create-logger";
import { lineLog } from "../lib/log/line-log";

const logger = createLogger({ name: "migrate" });

const env = readServerEnv();
if (!env.DATABASE_URL) {
  logger.fatal("DATABASE_URL is required");
  process.exit(1);
}
applyMigrations({ databaseUrl: env.DATABASE_URL, log: lineLog(logger) })
  .then((applied) => logger.info(applied.length ? `applied ${applied.length}` : "database is up to date"))
  .catch((error: unknown) => {
    logger.fatal(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
