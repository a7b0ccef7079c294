import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { buildAuthEventQuery, type TBuildAuthEventQueryOptions } from "./query-auth-events";

// The name search's plan and rows on a table big enough that PostgreSQL's choice means something (a database of its
// own, vacuumed as autovacuum would leave it). The plan, not a time: each arm must be an index-only range scan of
// the (name, time, id) indexes (migration 20261202100000_auth_log_prefix_keyset), never a bitmap that visits the
// heap for every match. bench/auth-log-keyset.ts prices it at 10 M rows.
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;

beforeAll(async () => {
  database = await createIsolatedDatabase();
  // Its own connection: the config client's read timeout is for the worker, not for loading 200,000 rows.
  const setup = new pg.Client({ connectionString: database.url });
  await setup.connect();
  await setup.query(`INSERT INTO "AuthEvent" ("eventId", time, "usernameRaw", username, result, reason, "workerId")
    SELECT gen_random_uuid(), now() - i * interval '1 second',
           CASE i % 3 WHEN 0 THEN 'CORP\\User' || (i % 20000) WHEN 1 THEN 'user' || (i % 20000) || '@corp' ELSE 'user' || (i % 20000) END,
           'user' || (i % 20000), 'failure', 'invalid_passcode', 'plan'
      FROM generate_series(1, 200000) AS i`);
  await setup.query(`INSERT INTO "AuthEvent" ("eventId", time, "usernameRaw", username, result, reason, "workerId")
    VALUES (gen_random_uuid(), now(), 'userX42', 'userx42', 'success', 'valid_passcode', 'plan'), (gen_random_uuid(), now(), 'user_42', 'user_42', 'success', 'valid_passcode', 'plan')`);
  await setup.query(`VACUUM (ANALYZE) "AuthEvent"`);
  await setup.end();
}, 300_000);
afterAll(async () => {
  await database?.drop();
});

const build = (options: Partial<TBuildAuthEventQueryOptions> & Pick<TBuildAuthEventQueryOptions, "filter">) => {
  const query = buildAuthEventQuery({ modes: ["none"], limit: 51, ...options });
  if (!query) throw new Error("no query");
  return query;
};
const plan = async (query: { text: string; values: unknown[] }) =>
  z.array(z.object({ "QUERY PLAN": z.string() })).parse(await database.prisma.$queryRawUnsafe<unknown[]>(`EXPLAIN ${query.text}`, ...query.values)).map((row) => row["QUERY PLAN"]).join("\n");
const ids = async (query: { text: string; values: unknown[] }) =>
  z.array(z.object({ id: z.bigint() })).parse(await database.prisma.$queryRawUnsafe<unknown[]>(query.text, ...query.values)).map((row) => row.id);

describe("buildAuthEventQuery: name search", { timeout: 60_000 }, () => {
  it("is an index-only scan of each prefix index, first page and deep", async () => {
    for (const user of ["user042", "CORP\\user042"]) {
      const first = await plan(build({ filter: { user } }));
      expect(first).toMatch(/Index Only Scan using "AuthEvent_username_prefix_idx"/);
      expect(first).toMatch(/Index Only Scan using "AuthEvent_usernameRaw_lower_prefix_idx"/);
      expect(first).not.toMatch(/Bitmap Heap Scan|Seq Scan/);
      const deep = await plan(build({ filter: { user, result: "failure" }, before: { time: new Date(Date.now() - 100_000_000), id: 100_000n } }));
      expect(deep).not.toMatch(/Bitmap Heap Scan|Seq Scan/);
    }
  });

  it("finds what the OR of the two prefixes finds, each row once, newest first", async () => {
    const expected = async (pattern: string) =>
      z.array(z.object({ id: z.bigint() })).parse(await database.prisma.$queryRawUnsafe<unknown[]>(
        `SELECT id FROM "AuthEvent" WHERE username LIKE $1 OR lower("usernameRaw") LIKE $1 ORDER BY time DESC, id DESC LIMIT 500`, pattern,
      )).map((row) => row.id);
    // user0425 matches both arms on most rows: UNION must not repeat them.
    expect(await ids(build({ filter: { user: "user0425" }, limit: 500 }))).toEqual(await expected("user0425%"));
    expect(await ids(build({ filter: { user: "corp\\USER1999" }, limit: 500 }))).toEqual(await expected("corp\\\\user1999%"));
  });

  it("keeps LIKE wildcards in the input literal in every arm", async () => {
    const found = await ids(build({ filter: { user: "user_42" } }));
    const rows = await database.prisma.authEvent.findMany({ where: { id: { in: found } }, select: { username: true } });
    expect(rows.map((row) => row.username)).toEqual(["user_42"]);
    expect(await ids(build({ filter: { user: "user%" } }))).toEqual([]);
  });
});
