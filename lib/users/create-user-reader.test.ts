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

  it("carries the active passcode seeds, still encrypted: the second factor reads nothing more", async () => {
    const user = await db.prisma.user.create({ data: { username: "seeds" } });
    const totp = await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", active: true, secret: "v1:totp-envelope", digits: 8, periodSec: 60, driftSteps: 2 } });
    const hotp = await db.prisma.authenticator.create({ data: { userId: user.id, kind: "hotp", active: true, secret: "v1:hotp-envelope", serial: "seeds-1", counter: 9_007_199_254n } });
    await db.prisma.authenticator.create({ data: { userId: user.id, kind: "totp", active: false, secret: "v1:not-yet-activated" } });
    await db.prisma.authenticator.create({ data: { userId: user.id, kind: "push_device", active: true, name: "Pixel" } });
    const read = createUserReader({ query: pgQuery(pool) });
    const found = await read({ username: "seeds" });
    expect(found?.otpKeys).toEqual([
      { id: totp.id, kind: "totp", secret: "v1:totp-envelope", digits: 8, periodSec: 60, driftSteps: 2, counter: 0 },
      { id: hotp.id, kind: "hotp", secret: "v1:hotp-envelope", digits: 6, periodSec: 30, driftSteps: 1, counter: 9_007_199_254 },
    ]);
    // The decision's facts never carry a seed.
    expect(JSON.stringify(found?.facts)).not.toContain("envelope");
    expect((await read({ id: user.id }))?.otpKeys).toEqual(found?.otpKeys);
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
