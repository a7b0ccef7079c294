import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { seedApplication } from "../../worker/test-support/seed";
import { buildAuthEventQuery, queryAuthEvents } from "../auth-log/query-auth-events";
import { buildNameSearch } from "./build-name-search";
import { buildUserSearchQuery, searchUsers } from "./search-users";

// Helpdesk search against a database of its own, so the policies in use (and so the normalizations tried) are this
// file's: one application strips DOMAIN\ and @domain, the global policy does not.
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const tag = randomBytes(3).toString("hex");
const alice = `alice${tag}`;
const names = (rows: { username: string }[]) => rows.map((row) => row.username);

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "local" });
  await db.prisma.policy.update({ where: { applicationId: application.id }, data: { usernameNormalization: "strip_domain" } });
  const group = await db.prisma.group.create({ data: { name: `Finance ${tag}` } });
  const user = await db.prisma.user.create({ data: { username: alice, email: `Alice.Smith${tag}@Corp.Example`, displayName: `Alice Smith ${tag}` } });
  await db.prisma.groupMember.create({ data: { userId: user.id, groupId: group.id } });
  for (const username of [`alina${tag}`, `bob${tag}`, `a_b${tag}`, `a%b${tag}`, `back\\slash${tag}`]) await db.prisma.user.create({ data: { username } });
  const event = (usernameRaw: string, username: string) => ({ eventId: randomUUID(), usernameRaw, username, userId: username === alice ? user.id : null, result: "failure" as const, reason: "invalid_passcode", workerId: "search-test" });
  await db.prisma.authEvent.createMany({
    data: [event(`CORP\\Alice${tag}`, alice), event(`Alice${tag}@corp.example`, alice), event(`bob${tag}`, `bob${tag}`), event(`axb${tag}`, `axb${tag}`)],
  });
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

describe("users list search", () => {
  it("finds by the start of the name, DOMAIN\\user and user@domain (the policy's normalization), email, display name and group", async () => {
    const prisma = db.prisma;
    expect(names(await searchUsers({ prisma, query: "ali" }))).toEqual([alice, `alina${tag}`]);
    expect(names(await searchUsers({ prisma, query: `ALICE${tag}` }))).toEqual([alice]);
    expect(names(await searchUsers({ prisma, query: `CORP\\${alice}` }))).toEqual([alice]);
    expect(names(await searchUsers({ prisma, query: `${alice}@corp.example` }))).toEqual([alice]);
    expect(names(await searchUsers({ prisma, query: `alice.smith${tag}@corp` }))).toEqual([alice]);
    expect(names(await searchUsers({ prisma, query: `alice smith ${tag}` }))).toEqual([alice]);
    expect(names(await searchUsers({ prisma, query: `finance ${tag}` }))).toEqual([alice]);
    expect(names(await searchUsers({ prisma, query: "zed" }))).toEqual([]);
  });

  it("takes %, _ and \\ literally, and hostile input finds nobody without an error", async () => {
    const prisma = db.prisma;
    expect(names(await searchUsers({ prisma, query: "%" }))).toEqual([]);
    expect(names(await searchUsers({ prisma, query: "a_" }))).toEqual([`a_b${tag}`]);
    expect(names(await searchUsers({ prisma, query: "a%" }))).toEqual([`a%b${tag}`]);
    expect(names(await searchUsers({ prisma, query: "back\\" }))).toEqual([`back\\slash${tag}`]);
    for (const hostile of ["ali\u0000", "ali\u0001", "a\u200Bli", "x".repeat(10_000), "\uD800"]) expect(await searchUsers({ prisma, query: hostile })).toEqual([]);
    // Many at once (a helpdesk typing fast, several consoles): each gets its own right answer.
    const many = await Promise.all(Array.from({ length: 20 }, (_, index) => searchUsers({ prisma, query: index % 2 ? "ali" : `bob${tag}` })));
    many.forEach((rows, index) => expect(names(rows)).toEqual(index % 2 ? [alice, `alina${tag}`] : [`bob${tag}`]));
  });
});

describe("auth log user filter", () => {
  it("matches the account's start, the name as typed, and DOMAIN\\user through the policy; wildcards are literal", async () => {
    const prisma = db.prisma;
    const raws = async (user: string) => (await queryAuthEvents({ prisma, filter: { user } })).rows.map((row) => row.usernameRaw).sort();
    const aliceRows = [`Alice${tag}@corp.example`, `CORP\\Alice${tag}`];
    expect(await raws("ali")).toEqual(aliceRows);
    expect(await raws(`CORP\\alice${tag}`)).toEqual(aliceRows); // typed prefix, and stripped to the account
    expect(await raws(`CORP\\ali`)).toEqual(aliceRows); // typed start, and "ali" once the domain is stripped
    expect(await raws(`CORP\\alicez${tag}`)).toEqual([]); // neither a typed start nor, stripped, an account's
    expect(await raws(`alice${tag}@corp.example`)).toEqual(aliceRows);
    expect(await raws("a_b")).toEqual([]); // not a wildcard: "axb…" is not found
    expect(await raws("%")).toEqual([]);
    expect(await raws("x".repeat(900))).toEqual([]);
    expect(await raws("ali\u0000")).toEqual([]);
    // The user page shows one account exactly, not every name that starts like it.
    expect((await queryAuthEvents({ prisma, filter: { account: alice } })).rows.map((row) => row.userId)).toHaveLength(2);
    expect((await queryAuthEvents({ prisma, filter: { account: "alice" } })).rows).toEqual([]);
  });
});

describe("the searches stay on indexes", () => {
  // The plan, not a time: with enough rows that a scan of everything would cost more, PostgreSQL must pick the prefix
  // indexes of migration 20261202060000_name_prefix_search.
  it("auth log and users list use the prefix indexes", async () => {
    const prisma = db.prisma;
    await prisma.$executeRawUnsafe(`INSERT INTO "AuthEvent" ("eventId", time, "usernameRaw", username, result, reason, "workerId")
      SELECT gen_random_uuid(), now() - i * interval '1 second', 'CORP\\User' || (i % 5000), 'user' || (i % 5000), 'failure', 'invalid_passcode', 'plan'
      FROM generate_series(1, 40000) AS i`);
    await prisma.$executeRawUnsafe(`INSERT INTO "User" (id, username, "updatedAt") SELECT gen_random_uuid(), 'user' || i, now() FROM generate_series(1, 20000) AS i`);
    await prisma.$executeRawUnsafe(`ANALYZE "AuthEvent"`);
    await prisma.$executeRawUnsafe(`ANALYZE "User"`);
    const plan = async (query: { text: string; values: unknown[] } | undefined) => {
      if (!query) throw new Error("no query");
      const rows = await prisma.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${query.text}`, ...query.values);
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    };
    const search = buildNameSearch({ query: "CORP\\user123", modes: ["strip_domain"] });
    if (search.kind !== "match") throw new Error("expected a match");
    const events = await plan(buildAuthEventQuery({ filter: { user: "CORP\\user123" }, modes: ["strip_domain"], limit: 51 }));
    expect(events).toContain("AuthEvent_username_prefix_idx");
    expect(events).toContain("AuthEvent_usernameRaw_lower_prefix_idx");
    expect(events).not.toMatch(/Seq Scan on "AuthEvent"/);
    const users = await plan(buildUserSearchQuery(search, 100));
    expect(users).toContain("User_username_prefix_idx");
    expect(users).toContain("User_email_lower_prefix_idx");
    expect(users).toContain("User_displayName_lower_prefix_idx");
    expect(users).not.toMatch(/Seq Scan on "User"/);
  }, 60_000);
});
