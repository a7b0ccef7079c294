import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { normalizeUsername } from "../policy/normalize-username";

// The data migration that moved stored usernames from lower-casing to full case folding, run against real PostgreSQL
// on names stored the old way. Its own database: the migration rewrites every user it finds.
const MIGRATION = path.resolve(import.meta.dirname, "../../prisma/migrations/20261204115900_username_case_fold/migration.sql");
const lowerCased = (username: string) => username.normalize("NFKC").toLowerCase().normalize("NFKC").trim();
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;

beforeAll(async () => {
  db = await createIsolatedDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const runMigration = async () => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(readFileSync(MIGRATION, "utf8"));
  } finally {
    await client.end();
  }
};

it("brings every stored name to the spelling a login now looks it up by, and flags a name two users now share", async () => {
  // Names as the console stored them before (lower-cased), each with what a login now normalizes them to.
  const typed = ["ΝΙΚΟΣ", "Strauß", "ᏣᎳᎩ", "ᾼΘΗΝᾼ", "ᲀанька", "alice", "jörg", "İpek", "ǅemal", "x\u0345y", "ΣΟΦΙΑ-ΜΑΡΙΑΣ"];
  const users = await Promise.all(typed.map((name) => db.prisma.user.create({ data: { username: lowerCased(name) } })));
  // Two accounts that lower-casing kept apart and folding makes one: the second is left alone and reported.
  const folded = await db.prisma.user.create({ data: { username: "weiss" } });
  const clash = await db.prisma.user.create({ data: { username: "weiß" } });
  await runMigration();

  for (const [index, name] of typed.entries()) {
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: users[index]!.id } });
    expect(row.username, name).toBe(normalizeUsername({ username: name, mode: "none" }));
  }
  expect((await db.prisma.user.findUniqueOrThrow({ where: { id: folded.id } })).username).toBe("weiss");
  expect((await db.prisma.user.findUniqueOrThrow({ where: { id: clash.id } })).username).toBe("weiß");
  const audit = await db.prisma.adminAuditEvent.findMany({ where: { actorEmail: "migration:username-case-fold" }, orderBy: { id: "asc" } });
  const renamed = typed.filter((name) => lowerCased(name) !== normalizeUsername({ username: name, mode: "none" }));
  expect(renamed).toEqual(["ΝΙΚΟΣ", "Strauß", "ᏣᎳᎩ", "ᾼΘΗΝᾼ", "ᲀанька", "x\u0345y", "ΣΟΦΙΑ-ΜΑΡΙΑΣ"]);
  const renamedTo = (event: (typeof audit)[number]) => (event.after as { username: string }).username;
  expect(audit.filter((event) => event.action === "user.username_folded").map(renamedTo).sort()).toEqual(
    renamed.map((name) => normalizeUsername({ username: name, mode: "none" })).sort(),
  );
  expect(audit.filter((event) => event.action === "user.username_fold_conflict").map((event) => [event.targetId, event.after])).toEqual([
    [clash.id, { username: "weiss", heldBy: folded.id }],
  ]);

  // A second run finds nothing left to rename.
  await runMigration();
  expect(await db.prisma.adminAuditEvent.count({ where: { action: "user.username_folded" } })).toBe(renamed.length);
});
