import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../worker/test-support/isolated-database";
import { waitFor } from "../../worker/test-support/wait-for";
import { createConfigPrisma } from "../config/create-config-prisma";
import type { TPrisma } from "../db";
import { POLICY_DEFAULTS } from "../policy/policy-schemas";
import { freePort } from "../testing/free-port";
import { createDatabaseProbe } from "./create-database-probe";
import { runSecondFactor, type TRunSecondFactorOptions } from "./run-second-factor";
import type { TSecondFactorOutcome } from "./types";

// Fail mode "safe" opens only for a database that cannot be reached. Each case below is a reachable PostgreSQL that an
// attacker sending logins could push into failing (slow, pool full, sessions killed); each must end as an error reject.
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  database = await createIsolatedDatabase();
}, 60_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await database?.drop();
});

const SAFE = { ...POLICY_DEFAULTS, failMode: "safe" as const };

const run = (over: Partial<TRunSecondFactorOptions> & { prisma: TPrisma }) =>
  runSecondFactor({
    request: { applicationId: randomUUID(), radiusClientId: randomUUID(), username: `fm-${randomUUID()}`, usernameRaw: "x", clientAddress: "192.0.2.10", directoryGroups: [], now: new Date() },
    policy: SAFE,
    application: { factorEntry: "append" },
    enrollmentBaseUrl: "https://mfa.example",
    probe: createDatabaseProbe({ databaseUrl: database.url }),
    dbTimeoutMs: 60_000,
    ...over,
  });

const summary = (outcome: TSecondFactorOutcome) => ({ decision: outcome.decision, reason: outcome.reason });

const client = async (url = database.url) => {
  const connection = new pg.Client({ connectionString: url });
  connection.on("error", () => undefined);
  await connection.connect();
  closers.push(() => connection.end());
  return connection;
};

const prismaFor = (options: { max?: number; connectionTimeoutMs?: number; url?: string } = {}) => {
  const prisma = createConfigPrisma({ databaseUrl: options.url ?? database.url, max: options.max ?? 2, connectionTimeoutMs: options.connectionTimeoutMs });
  closers.push(() => prisma.$disconnect());
  return prisma;
};

// Another session holds the User table: every read of a user waits, on a database that is up and answering.
const lockUsers = async () => {
  const holder = await client();
  await holder.query(`BEGIN; LOCK TABLE "User" IN ACCESS EXCLUSIVE MODE`);
  return { release: () => holder.query("ROLLBACK") };
};

describe("fail mode safe: the database cannot be reached", () => {
  it("a closed port: accepted after primary, failmode_safe; secure rejects failmode_secure", async () => {
    const url = `postgresql://twofold:x@127.0.0.1:${await freePort()}/twofold`;
    const prisma = prismaFor({ url });
    const probe = createDatabaseProbe({ databaseUrl: url });
    expect(summary(await run({ prisma, probe }))).toEqual({ decision: "accept", reason: "failmode_safe" });
    expect(summary(await run({ prisma, probe, policy: POLICY_DEFAULTS }))).toEqual({ decision: "reject", reason: "failmode_secure" });
  });
});

describe("fail mode safe: a reachable database that fails is an error reject, never a fail-open", () => {
  it("a query still waiting when dbTimeoutMs passes (a lock held by another session)", async () => {
    const lock = await lockUsers();
    try {
      expect(summary(await run({ prisma: prismaFor(), dbTimeoutMs: 500 }))).toEqual({ decision: "error", reason: "error" });
    } finally {
      await lock.release();
    }
  });

  it("a statement timeout set on the database", async () => {
    const admin = await client();
    const name = new URL(database.url).pathname.slice(1);
    await admin.query(`ALTER DATABASE ${name} SET statement_timeout = '200ms'`);
    const lock = await lockUsers();
    try {
      const outcome = await run({ prisma: prismaFor() });
      expect(summary(outcome)).toEqual({ decision: "error", reason: "error" });
      expect(outcome.decision === "error" && outcome.detail).toMatch(/statement timeout|57014/);
    } finally {
      await lock.release();
      await admin.query(`ALTER DATABASE ${name} RESET statement_timeout`);
    }
  });

  it("a full pool (every connection busy past the connect timeout)", async () => {
    const prisma = prismaFor({ max: 1, connectionTimeoutMs: 300 });
    const admin = await client();
    const busy = prisma.$queryRaw`SELECT pg_sleep(3)::text`.then(() => undefined);
    await waitFor(async () => ((await admin.query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%' AND pid <> pg_backend_pid()`)).rowCount ? true : undefined), { timeoutMs: 5000 });
    try {
      expect(summary(await run({ prisma }))).toEqual({ decision: "error", reason: "error" });
    } finally {
      await busy;
    }
  });

  it("the session terminated by the server while PostgreSQL stays up (57P01)", async () => {
    const lock = await lockUsers();
    const admin = await client();
    try {
      const pending = run({ prisma: prismaFor() });
      const waiting = await waitFor(async () => (await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0]?.pid as number | undefined, { timeoutMs: 5000 });
      expect(waiting).toBeTypeOf("number");
      await admin.query("SELECT pg_terminate_backend($1)", [waiting]);
      expect(summary(await pending)).toEqual({ decision: "error", reason: "error" });
    } finally {
      await lock.release();
    }
  });

  it("any other query error (a missing table)", async () => {
    const admin = await client();
    await admin.query(`ALTER TABLE "User" RENAME TO "UserGone"`);
    try {
      expect(summary(await run({ prisma: prismaFor() }))).toEqual({ decision: "error", reason: "error" });
    } finally {
      await admin.query(`ALTER TABLE "UserGone" RENAME TO "User"`);
    }
  });
});
