import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { createUserReader } from "./create-user-reader";
import { pgQuery, prismaQuery } from "./read-user";

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createIsolatedDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe("createUserReader", () => {
  it("reads status, groups, authenticators and bypass codes in one query", async () => {
    const group = await db.prisma.group.create({ data: { name: "readers" } });
    const user = await db.prisma.user.create({ data: { username: "reader", status: "bypass", groups: { create: { groupId: group.id } } } });
    await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", active: true, name: "phone" } });
    await db.prisma.bypassCode.create({ data: { userId: user.id, codeHash: "x", createdBy: "test", expiresAt: new Date(Date.now() + 60_000) } });
    const read = createUserReader({ query: pgQuery(pool) });
    const found = await read({ username: "reader" });
    expect(found).toMatchObject({ id: user.id, status: "bypass", groupNames: ["readers"], activeAuthenticators: 1 });
    expect(found?.facts).toMatchObject({ hasBypassCodes: true, authenticators: [{ kind: "totp", name: "phone", active: true }] });
    expect(await read({ username: "nobody-here" })).toBeUndefined();
    // By id, and through Prisma: the same reader, the same answer.
    expect(await read({ id: user.id })).toEqual(found);
    expect(await createUserReader({ query: prismaQuery(db.prisma) })({ username: "reader" })).toEqual(found);
    expect(await read({ id: "not-a-uuid" })).toBeUndefined();
  });

  it("serves a cached read only within its window", async () => {
    await db.prisma.user.create({ data: { username: "cached" } });
    let time = 0;
    const read = createUserReader({ query: pgQuery(pool), cacheMs: 1000, now: () => time });
    expect((await read({ username: "cached" }))?.status).toBe("active");
    await db.prisma.user.update({ where: { username: "cached" }, data: { status: "disabled" } });
    time = 500;
    expect((await read({ username: "cached" }))?.status).toBe("active");
    time = 1000;
    expect((await read({ username: "cached" }))?.status).toBe("disabled");
    expect((await createUserReader({ query: pgQuery(pool) })({ username: "cached" }))?.status).toBe("disabled");
  });
});
