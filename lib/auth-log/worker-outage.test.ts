import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createConfigPrisma } from "../config/create-config-prisma";
import type { TPrisma } from "../db";
import { encryptSecret } from "../secrets/envelope";
import { radclient } from "../testing/radclient";
import { startTestWorker } from "../testing/start-test-worker";
import { startRestartableTestDatabase, type TRestartableTestDatabase } from "../testing/test-database";

// The end-to-end promise for the auth log: Postgres stopped mid-run -> the worker keeps answering and spools
// -> Postgres back -> every decision is in AuthEvent exactly once. A real worker, radclient as the NAS.
let db: TRestartableTestDatabase;
let prisma: TPrisma;
let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;

beforeAll(async () => {
  db = await startRestartableTestDatabase();
  prisma = createConfigPrisma({ databaseUrl: db.url, connectionTimeoutMs: 15_000 });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await prisma?.$disconnect();
  await db?.stop();
});

it("spools the worker's auth events while Postgres is down and stores each exactly once when it returns", async () => {
  const application = await prisma.application.create({
    data: {
      name: "outage-app",
      ikey: randomBytes(10).toString("hex").toUpperCase(),
      skey: encryptSecret("k".repeat(40)),
      primaryAuthMode: "none",
      policy: { create: { newUserPolicy: "allow_without_2fa" } },
    },
  });
  await prisma.radiusClient.create({
    data: { name: "outage-nas", address: "127.0.0.1", secret: encryptSecret("nas-secret"), requireMessageAuthenticator: false, applicationId: application.id },
  });
  worker = await startTestWorker({ databaseUrl: db.url });
  const port = worker.authPort;
  const ask = async (username: string) => {
    const result = await radclient({ port, secret: "nas-secret", rawAttributes: [`User-Name = "${username}", User-Password = "pw"`], messageAuthenticator: false, timeoutSec: 10, retries: 1 });
    return /Received Access-(Accept|Reject|Challenge)/.exec(result.stdout)?.[1];
  };

  const sent: string[] = [];
  const phase = async (prefix: string, count: number) => {
    for (let n = 0; n < count; n += 1) {
      const username = `${prefix}-${n}`;
      expect(await ask(username), `no answer for ${username}`).toBeDefined();
      sent.push(username);
    }
  };

  await phase("before", 5);
  await db.pause();
  await phase("during", 8); // answered from the snapshot; the decisions may differ (no user lookup), the log must not
  await db.resume();
  await phase("after", 5);

  const deadline = Date.now() + 30_000;
  let rows: { username: string }[] = [];
  while (Date.now() < deadline) {
    rows = await prisma.authEvent.findMany({ select: { username: true }, orderBy: { id: "asc" } }).catch(() => []);
    if (rows.length >= sent.length) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // Exactly once each, and in the order the worker decided (the spool replays in order).
  expect(rows.map((row) => row.username)).toEqual(sent);
  // And it really went through the spool, not around it.
  expect(worker.logs.some((line) => line.includes("spooling AuthEvent rows to disk"))).toBe(true);
  expect(worker.logs.some((line) => /replayed \d+ spooled AuthEvent rows/.test(line))).toBe(true);
}, 180_000);
