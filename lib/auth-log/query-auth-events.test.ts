import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { authEventCsvLine, toAuthEventView } from "./auth-event-view";
import { decodeCursor, encodeCursor, queryAuthEvents } from "./query-auth-events";

afterAll(disconnectPrisma);

describe("auth event queries", () => {
  it("walks every matching row exactly once, newest first, across pages with equal timestamps", async () => {
    const username = `keyset-${randomUUID()}`;
    const base = Date.now() - 3_600_000;
    // Pairs of rows share a timestamp, so the id tiebreak is what keeps pages from skipping or repeating rows.
    await prisma.authEvent.createMany({
      data: Array.from({ length: 23 }, (_, index) => ({
        eventId: randomUUID(), time: new Date(base + Math.floor(index / 2) * 1000), usernameRaw: `CORP\\${username}`, username,
        result: index % 3 ? ("success" as const) : ("failure" as const), reason: index % 3 ? "valid_passcode" : "invalid_passcode", workerId: "keyset-test",
      })),
    });
    const seen: bigint[] = [];
    let cursor: string | undefined;
    do {
      const page = await queryAuthEvents({ prisma, filter: { user: username.toUpperCase() }, before: decodeCursor(cursor), take: 5 });
      seen.push(...page.rows.map((row) => row.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    const all = await prisma.authEvent.findMany({ where: { username }, orderBy: [{ time: "desc" }, { id: "desc" }], select: { id: true } });
    expect(seen).toEqual(all.map((row) => row.id));

    const failures = await queryAuthEvents({ prisma, filter: { user: username, result: "failure" }, take: 100 });
    expect(failures.rows).toHaveLength(8);
    const newest = all[0] && (await prisma.authEvent.findUniqueOrThrow({ where: { id: all[0].id } }));
    expect(newest && (await queryAuthEvents({ prisma, filter: { user: username }, after: { time: newest.time, id: newest.id } })).rows).toEqual([]);
    expect(newest && decodeCursor(encodeCursor({ time: newest.time, id: newest.id }))).toEqual({ time: newest?.time, id: newest?.id });
    await prisma.authEvent.deleteMany({ where: { username } });
  });

  it("neutralises spreadsheet formulas in CSV cells", () => {
    const line = authEventCsvLine(toAuthEventView({
      id: 1n, time: new Date("2026-01-01T00:00:00Z"), usernameRaw: "=HYPERLINK(\"x\")", username: "a,b", userId: null, clientName: null, nasIp: null, callingStationId: null,
      factor: null, result: "failure", reason: "invalid_passcode", primaryMs: null, secondFactorMs: null, attributes: null, workerId: "w",
    }));
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain(`"a,b"`);
  });
});
