import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replyMessageFor } from "../lib/auth-log/reason-messages";
import { radclient } from "../lib/testing/radclient";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedClient } from "./test-support/seed";
import { waitFor } from "./test-support/wait-for";

// Through the real worker, fail mode "safe", PostgreSQL up: a login whose user read fails on a reachable database is
// an Access-Reject logged `error`, never an Accept logged `failmode_safe`.
const SECRET = "reachable-secret";

type TSetup = { database: Awaited<ReturnType<typeof createIsolatedDatabase>>; worker: Awaited<ReturnType<typeof startTestWorker>>; admin: pg.Client };

const connect = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  return client;
};

// statementTimeout is set on the database before the worker opens any session, so every session it opens has it.
const setUp = async (options: { statementTimeout?: string } = {}): Promise<TSetup> => {
  const database = await createIsolatedDatabase();
  const application = await seedApplication({ prisma: database.prisma, primaryAuthMode: "none", factorEntry: "append", newUserPolicy: "require_enrollment" });
  await database.prisma.policy.update({ where: { applicationId: application.id }, data: { failMode: "safe" } });
  await seedClient({ prisma: database.prisma, applicationId: application.id, secret: SECRET });
  const admin = await connect(database.url);
  if (options.statementTimeout) await admin.query(`ALTER DATABASE ${new URL(database.url).pathname.slice(1)} SET statement_timeout = '${options.statementTimeout}'`);
  const worker = await startTestWorker({ databaseUrl: database.url });
  return { database, worker, admin };
};

const tearDown = async (setup: TSetup | undefined) => {
  await setup?.admin.end().catch(() => undefined);
  await setup?.worker.stop();
  await setup?.database.drop();
};

const login = (setup: TSetup, username: string) =>
  radclient({ port: setup.worker.authPort, secret: SECRET, attributes: { "User-Name": username, "User-Password": "pw,123456" }, timeoutSec: 20 });

const eventOf = (setup: TSetup, username: string) =>
  waitFor(async () => (await setup.database.prisma.authEvent.findFirst({ where: { username }, orderBy: { id: "desc" }, select: { result: true, reason: true } })) ?? undefined, {
    timeoutMs: 20_000,
    intervalMs: 200,
  });

// Another session holds the User table, so the worker's read of the user waits on a live server.
const withUsersLocked = async <T>(setup: TSetup, run: () => Promise<T>): Promise<T> => {
  const holder = await connect(setup.database.url);
  await holder.query(`BEGIN; LOCK TABLE "User" IN ACCESS EXCLUSIVE MODE`);
  try {
    return await run();
  } finally {
    await holder.query("ROLLBACK").catch(() => undefined);
    await holder.end().catch(() => undefined);
  }
};

describe("fail mode safe through the worker: the session killed by the server while PostgreSQL stays up", () => {
  let setup: TSetup | undefined;
  beforeAll(async () => {
    setup = await setUp();
  }, 60_000);
  afterAll(() => tearDown(setup));

  it("57P01 mid-read: Access-Reject, logged error", async () => {
    if (!setup) throw new Error("no setup");
    const ready = setup;
    const username = "killed-session-user";
    const result = await withUsersLocked(ready, async () => {
      const pending = login(ready, username);
      const killed = await waitFor(async () => {
        const waiting = await ready.admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (waiting.rows.length === 0) return undefined;
        for (const row of waiting.rows) await ready.admin.query("SELECT pg_terminate_backend($1)", [row.pid]);
        return waiting.rows.length;
      }, { timeoutMs: 10_000 });
      expect(killed).toBeGreaterThan(0);
      return pending;
    });
    expect(result.code).toBe("Access-Reject");
    expect(result.attributes.filter((a) => a.name === "Reply-Message").map((a) => a.value).join("")).toBe(replyMessageFor({ reason: "error" }));
    expect(await eventOf(ready, username)).toEqual({ result: "error", reason: "error" });
  }, 60_000);
});

describe("fail mode safe through the worker: a statement timeout on the database", () => {
  let setup: TSetup | undefined;
  beforeAll(async () => {
    setup = await setUp({ statementTimeout: "300ms" });
  }, 60_000);
  afterAll(() => tearDown(setup));

  it("the user read cancelled (57014): Access-Reject, logged error", async () => {
    if (!setup) throw new Error("no setup");
    const ready = setup;
    const username = "statement-timeout-user";
    const result = await withUsersLocked(ready, () => login(ready, username));
    expect(result.code).toBe("Access-Reject");
    expect(result.attributes.filter((a) => a.name === "Reply-Message").map((a) => a.value).join("")).toBe(replyMessageFor({ reason: "error" }));
    expect(await eventOf(ready, username)).toEqual({ result: "error", reason: "error" });
  }, 60_000);
});
