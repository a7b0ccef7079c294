import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { createAccountingLogWriter } from "./create-accounting-log-writer";

const dir = mkdtempSync(path.join(tmpdir(), "twofold-acct-spool-"));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await disconnectPrisma();
});

it("records accounting events through the shared Prisma client", async () => {
  const workerId = `w-${randomUUID()}`;
  const writer = await createAccountingLogWriter({ prisma, spoolDir: dir, workerId });
  writer.write({ username: "alice", statusType: "Start", sessionId: "S1", nasIp: "10.0.0.1", attributes: { "Framed-IP-Address": "10.8.0.2" } });
  writer.write({ username: "alice", statusType: "Stop", sessionId: "S1" });
  await writer.close();
  const rows = await prisma.accountingEvent.findMany({ where: { workerId }, orderBy: { id: "asc" } });
  expect(rows.map((row) => [row.statusType, row.sessionId, row.attributes])).toEqual([
    ["Start", "S1", { "Framed-IP-Address": "10.8.0.2" }],
    ["Stop", "S1", null],
  ]);
});

it("inserts an accounting event once even when its batch is written again (spool replay)", async () => {
  const workerId = `w-${randomUUID()}`;
  const eventId = randomUUID();
  const writer = await createAccountingLogWriter({ prisma, spoolDir: dir, workerId });
  writer.write({ eventId, username: "bob", statusType: "Start", sessionId: "S2" });
  await writer.flush();
  writer.write({ eventId, username: "bob", statusType: "Start", sessionId: "S2" });
  await writer.close();
  expect(await prisma.accountingEvent.count({ where: { workerId } })).toBe(1);
  expect((await prisma.accountingEvent.findFirstOrThrow({ where: { workerId } })).eventId).toBe(eventId);
});
