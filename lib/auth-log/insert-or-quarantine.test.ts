import { expect, it } from "vitest";
import { insertOrQuarantine } from "./insert-or-quarantine";
import { isContentError, sqlStateOf } from "./is-content-error";

// The shape node-postgres gives a refused statement: the SQLSTATE on `code`.
const refused = (code: string) => Object.assign(new Error(`refused ${code}`), { code });

const fakeTable = (bad: (row: number) => string | undefined) => {
  const stored: number[] = [];
  let statements = 0;
  const insert = async (rows: number[]) => {
    statements += 1;
    const code = rows.map(bad).find((value) => value !== undefined);
    if (code) throw refused(code); // atomic: nothing of a refused statement is stored
    stored.push(...rows);
  };
  return { stored, insert, statements: () => statements };
};

it("inserts every good row in order and quarantines only the refused ones", async () => {
  const table = fakeTable((row) => (row === 3 || row === 70 ? "22021" : undefined));
  const quarantined: number[] = [];
  const rows = Array.from({ length: 100 }, (_value, index) => index);
  const outcome = await insertOrQuarantine({ rows, insert: table.insert, quarantine: async (row) => void quarantined.push(row) });
  expect(outcome).toEqual({ inserted: 98, quarantined: 2 });
  expect(table.stored).toEqual(rows.filter((row) => row !== 3 && row !== 70));
  expect(quarantined).toEqual([3, 70]);
  expect(table.statements()).toBeLessThan(40); // bisected, not one statement per row
});

it("one statement when all rows are good", async () => {
  const table = fakeTable(() => undefined);
  await insertOrQuarantine({ rows: [1, 2, 3], insert: table.insert, quarantine: async () => {} });
  expect(table.statements()).toBe(1);
});

it("gives a refused row its relaxed form before quarantining it", async () => {
  const table = fakeTable((row) => (row === 5 ? "23503" : undefined));
  const outcome = await insertOrQuarantine({ rows: [4, 5, 6], insert: table.insert, relax: (row) => row * 100, quarantine: async () => {} });
  expect(outcome).toEqual({ inserted: 3, quarantined: 0 });
  expect(table.stored).toEqual([4, 500, 6]);
});

it("throws, inserting nothing, when the database is away rather than refusing", async () => {
  const down = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  const quarantined: number[] = [];
  await expect(insertOrQuarantine({ rows: [1, 2], insert: async () => Promise.reject(down), quarantine: async (row) => void quarantined.push(row) })).rejects.toBe(down);
  expect(quarantined).toEqual([]);
});

it("classifies SQLSTATEs from node-postgres and from Prisma raw queries", () => {
  expect(isContentError(refused("22021"))).toBe(true);
  expect(isContentError(refused("23514"))).toBe(true);
  expect(isContentError(refused("54000"))).toBe(true);
  expect(isContentError(refused("57P01"))).toBe(false); // admin shutdown: the database going away
  expect(isContentError(refused("42P01"))).toBe(false); // missing table: not the row's fault
  expect(isContentError(new Error("timeout"))).toBe(false);
  const prisma = Object.assign(new Error("Raw query failed"), { code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "22P05", kind: "postgres" } } } });
  expect(sqlStateOf(prisma)).toBe("22P05");
  expect(isContentError(prisma)).toBe(true);
});
