import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { disconnectPrisma, prisma } from "../db";
import { authEventCsvHeader, authEventCsvLine, toAuthEventView } from "./auth-event-view";
import { queryAuthEvents } from "./query-auth-events";

afterAll(disconnectPrisma);

const ZCsvRecordSchema = z.object({ usernameRaw: z.string(), username: z.string(), reason: z.string(), loginId: z.string() });

// The export route (app/api/auth-events/export) writes the header and then each keyset page of queryAuthEvents as
// lines; the same here, read back by a real CSV parser so a shifted column or a broken quote shows.
describe("auth log CSV", () => {
  it("carries loginId, so one login's events from two workers can be told apart from two logins", async () => {
    const username = `csv-${randomUUID()}`;
    const loginId = randomUUID();
    const base = Date.now() - 60_000;
    const event = (offset: number, reason: string, usernameRaw: string, login: string | null) => ({
      eventId: randomUUID(), time: new Date(base + offset), usernameRaw, username, result: "failure" as const, reason, workerId: `w${offset}`, loginId: login,
    });
    // Hostile typed names on the same rows: a formula, quotes, a comma and a line break must not move loginId.
    await prisma.authEvent.createMany({
      data: [
        event(0, "valid_push", `=cmd|' /C calc'!A0,"x"\n${username}`, loginId),
        event(1, "valid_push", `${username}@corp`, loginId),
        event(2, "invalid_passcode", username, null),
      ],
    });
    let csv = authEventCsvHeader();
    const { rows } = await queryAuthEvents({ prisma, filter: { account: username }, take: 500 });
    csv += rows.map((row) => authEventCsvLine(toAuthEventView(row))).join("");
    const records = z.array(ZCsvRecordSchema).parse(parse(csv, { columns: true }));
    expect(authEventCsvHeader().trim().split(",").at(-1)).toBe("loginId");
    expect(records.map((record) => [record.reason, record.loginId])).toEqual([
      ["invalid_passcode", ""],
      ["valid_push", loginId],
      ["valid_push", loginId],
    ]);
    expect(records[2]?.usernameRaw).toBe(`'=cmd|' /C calc'!A0,"x"\n${username}`);
    expect(records.every((record) => record.username === username)).toBe(true);
    await prisma.authEvent.deleteMany({ where: { username } });
  });
});
