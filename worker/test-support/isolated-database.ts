import { randomBytes } from "node:crypto";
import pg from "pg";
import { createConfigPrisma } from "../../lib/config/create-config-prisma";
import type { TPrisma } from "../../lib/db";
import { applyMigrations } from "../../lib/db/migrate";

// A database of its own on the run's PostgreSQL server: worker tests match clients by source address (127.0.0.1 for
// radclient), so they must not see other test files' RADIUS clients.
export const createIsolatedDatabase = async (): Promise<{ url: string; prisma: TPrisma; drop: () => Promise<void> }> => {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set");
  const name = `w_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  await applyMigrations({ databaseUrl: url.toString() });
  const prisma = createConfigPrisma({ databaseUrl: url.toString(), max: 4 });
  return {
    url: url.toString(),
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
};
