import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMigrations } from "../db/migrate";
import { runTwofold } from "../testing/run-twofold";

// migrate status/deploy against an empty database of its own: all pending, then applied, then tampered with.
const base = process.env.DATABASE_URL ?? "";
const name = `m_${randomBytes(6).toString("hex")}`;
const url = new URL(base);
url.pathname = `/${name}`;
const env = { DATABASE_URL: url.toString(), TWOFOLD_SECRET_KEY: process.env.TWOFOLD_SECRET_KEY ?? "" };
const admin = async (sql: string, databaseUrl = base) => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};
beforeAll(() => admin(`CREATE DATABASE ${name}`));
afterAll(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

type TStatus = { current: boolean; applied: { name: string }[]; pending: string[]; edited: string[]; failed: string[]; unknown: string[] };

describe("twofold migrate", { timeout: 180_000 }, () => {
  const names = listMigrations().map((migration) => migration.name);

  it("status lists every migration as pending on an empty database (exit 1); deploy applies them; then current (exit 0)", async () => {
    const empty = await runTwofold({ args: ["migrate", "status", "--json"], env });
    expect(empty.code).toBe(1);
    expect(empty.json()).toMatchObject({ current: false, applied: [], pending: names });

    const deploy = await runTwofold({ args: ["migrate", "deploy", "--json"], env });
    expect(deploy.code).toBe(0);
    expect(deploy.json()).toEqual({ applied: names });

    const status = await runTwofold({ args: ["migrate", "status", "--json"], env });
    expect(status.code).toBe(0);
    const parsed = status.json() as TStatus;
    expect(parsed).toMatchObject({ current: true, pending: [], edited: [], failed: [], unknown: [] });
    expect(parsed.applied.map((migration) => migration.name)).toEqual(names);
    expect((await runTwofold({ args: ["migrate", "status"], env })).stdout).toBe(`${names.length} applied, none pending\n`);
  });

  it("reports an edited, a half-applied and a newer-code migration", async () => {
    const last = names.at(-1) ?? "";
    await admin(`UPDATE "_prisma_migrations" SET checksum = 'x' WHERE migration_name = '${last}'`, url.toString());
    await admin(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES
       ('00000000-0000-0000-0000-000000000001', 'y', '29990101000000_from_the_future', now(), now(), 1),
       ('00000000-0000-0000-0000-000000000002', 'z', '29990102000000_crashed', now(), NULL, 0)`,
      url.toString(),
    );
    const run = await runTwofold({ args: ["migrate", "status", "--json"], env });
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ current: false, edited: [last], unknown: ["29990101000000_from_the_future"], failed: ["29990102000000_crashed"], pending: [] });
  });
});
