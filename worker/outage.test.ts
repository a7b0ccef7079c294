import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import type { TPrisma } from "../lib/db";
import { RadiusCode } from "../lib/radius/constants";
import { createUpstreamTransport, type TUpstreamTransport } from "../lib/radius/upstream/create-upstream-transport";
import { startRestartableTestDatabase, type TRestartableTestDatabase } from "../lib/testing/test-database";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { seedApplication, seedClient } from "./test-support/seed";
import { sendLogin } from "./test-support/send-login";
import { waitFor } from "./test-support/wait-for";

let database: TRestartableTestDatabase;
let prisma: TPrisma;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let nas: TUpstreamTransport;

const send = (username: string) => sendLogin({ nas, port: worker.authPort, secret: "outage-secret", username, password: "pw", timeoutMs: 15_000 });

beforeAll(async () => {
  // Its own PostgreSQL server, because this test stops it.
  database = await startRestartableTestDatabase();
  prisma = createConfigPrisma({ databaseUrl: database.url });
  const application = await seedApplication({ prisma, primaryAuthMode: "none" });
  await prisma.policy.update({ where: { applicationId: application.id }, data: { failMode: "safe" } });
  await seedClient({ prisma, applicationId: application.id, secret: "outage-secret" });
  worker = await startTestWorker({ databaseUrl: database.url });
  nas = await createUpstreamTransport({ bindAddress: "127.0.0.1" });
}, 120_000);

afterAll(async () => {
  await nas?.close();
  await worker?.stop();
  await prisma?.$disconnect();
  await database?.stop();
});

describe("auth log across a database outage", () => {
  it("keeps answering from the snapshot while Postgres is down, spools the events, and stores each exactly once when it returns", { timeout: 120_000 }, async () => {
    const before = await send("before-outage");
    expect(before.ok && before.packet.code).toBe(RadiusCode.AccessAccept);
    await prisma.$disconnect();
    await database.pause();
    const usernames = Array.from({ length: 5 }, (_, index) => `during-outage-${index}`);
    for (const username of usernames) {
      const result = await send(username);
      // Fail mode "safe": the second factor cannot be checked, the user is let in (and it is logged as such).
      expect(result.ok && result.packet.code, username).toBe(RadiusCode.AccessAccept);
    }
    // The writer says so when its insert fails, which may come after the answers (they wait for the journal only).
    const spooled = await waitFor(() => worker.logs.some((line) => /spool/i.test(line)) || undefined, { timeoutMs: 30_000, intervalMs: 200 });
    expect(spooled, worker.logs.join("\n")).toBe(true);
    await database.resume();
    const rows = await waitFor(async () => {
      const found = await prisma.authEvent.findMany({ where: { username: { in: [...usernames, "before-outage"] } } }).catch(() => []);
      return found.length >= usernames.length + 1 ? found : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect(rows?.map((row) => row.username).sort()).toEqual([...usernames, "before-outage"].sort());
    expect(rows?.filter((row) => row.username.startsWith("during")).every((row) => row.reason === "failmode_safe")).toBe(true);
    // And nothing arrives twice later (a replay racing a batch).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await prisma.authEvent.count({ where: { username: { in: usernames } } })).toBe(usernames.length);
  });
});
