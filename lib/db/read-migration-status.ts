import { z } from "zod";
import { listMigrations } from "./migrate";
import { createPgClient } from "./pg-connection";

export type TMigrationStatus = {
  applied: { name: string; finishedAt: string }[];
  pending: string[]; // in prisma/migrations, not in the database: `npm run migrate` / `twofold migrate deploy`
  edited: string[]; // applied, but the file changed since (checksum differs)
  failed: string[]; // started and never finished (a crash mid-migration): needs a person
  unknown: string[]; // in the database but not in this checkout: the database is newer than this code
  current: boolean;
};

const ZRowSchema = z.object({ migration_name: z.string(), checksum: z.string(), finished_at: z.date().nullable(), rolled_back_at: z.date().nullable() });

// The same bookkeeping lib/db/migrate.ts writes (Prisma's `_prisma_migrations`), read without taking its lock.
export const readMigrationStatus = async (options: { databaseUrl: string; dir?: string }): Promise<TMigrationStatus> => {
  const client = createPgClient(options.databaseUrl, { connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const exists = await client.query<{ found: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS found`);
    const rows = exists.rows[0]?.found
      ? z.array(ZRowSchema).parse((await client.query(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`)).rows)
      : [];
    const live = rows.filter((row) => row.rolled_back_at === null);
    const done = new Map(live.filter((row) => row.finished_at).map((row) => [row.migration_name, row]));
    const local = listMigrations(options.dir);
    const localNames = new Set(local.map((migration) => migration.name));
    const status: TMigrationStatus = {
      applied: local.flatMap((migration) => {
        const row = done.get(migration.name);
        return row?.finished_at ? [{ name: migration.name, finishedAt: row.finished_at.toISOString() }] : [];
      }),
      pending: local.filter((migration) => !done.has(migration.name)).map((migration) => migration.name),
      edited: local.filter((migration) => done.has(migration.name) && done.get(migration.name)?.checksum !== migration.checksum).map((migration) => migration.name),
      failed: live.filter((row) => !row.finished_at).map((row) => row.migration_name),
      unknown: [...done.keys()].filter((name) => !localNames.has(name)),
      current: false,
    };
    // A failed attempt that a later run finished is history, not a problem.
    status.failed = status.failed.filter((name) => !done.has(name));
    status.pending = status.pending.filter((name) => !status.failed.includes(name));
    status.current = status.pending.length === 0 && status.failed.length === 0 && status.edited.length === 0;
    return status;
  } finally {
    await client.end().catch(() => undefined);
  }
};
