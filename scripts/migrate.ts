// `npm run migrate`: apply prisma/migrations to DATABASE_URL (for running console and worker as separate services).
import { applyMigrations } from "../lib/db/migrate";
import { readServerEnv } from "../lib/env/server-env";

const env = readServerEnv();
if (!env.DATABASE_URL) {
  console.error("DATABASE_URL is required");
  process.exit(1);
}
applyMigrations({ databaseUrl: env.DATABASE_URL, log: (line) => console.log(line) })
  .then((applied) => console.log(applied.length ? `applied ${applied.length}` : "database is up to date"))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
