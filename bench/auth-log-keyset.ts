// The auth log at scale (issue 13): seeds BENCH_ROWS (default 10,000,000) events into a throwaway database
// (bench/auth-log-seed.ts) and times every read the console and the Admin API make, through the same lib getters the
// pages call, then `twofold prune --older-than 400d` (its lib function, the CLI's defaults) with an insert loop
// running meanwhile. Median/p95 of BENCH_SAMPLES runs each; EXPLAIN (ANALYZE, BUFFERS) of the statements behind any
// read whose median is over 100 ms. `npm run bench:auth-log`
import { loadavg } from "node:os";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { startTestDatabase } from "../lib/testing/test-database";
import { createIndexes, dropAuthEventIndexes, HOT_USERS, seedAuthEvents, seedDirectory, userName } from "./auth-log-seed";

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 11);
const DAYS = 430; // 13 months kept, plus the month `prune --older-than 400d` removes
const SMALL = Math.min(1_000_000, ROWS);

const main = async () => {
  const db = await startTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.TWOFOLD_SECRET_KEY = randomBytes(32).toString("base64");
  const { PrismaClient } = await import("../lib/db/generated/client");
  const { OMIT_SECRETS, disconnectPrisma, prisma: libPrisma } = await import("../lib/db");
  const { pgPoolConfig } = await import("../lib/db/pg-connection");
  const { queryAuthEvents } = await import("../lib/auth-log/query-auth-events");
  const { summarizeAuthEvents } = await import("../lib/auth-log/summarize-auth-events");
  const { loadDashboardData } = await import("../lib/auth-log/dashboard-data");
  const { queryAdminAuthLogs } = await import("../lib/duo-api/query-admin-auth-logs");
  const { pruneOldRecords } = await import("../lib/retention/prune-old-records");
  const { CLI_ACTOR } = await import("../lib/cli/cli-types");

  // The console's client plus Prisma's query events, so a slow read can be EXPLAINed as exactly the SQL it sent.
  const logged = new PrismaClient({ adapter: new PrismaPg(pgPoolConfig(db.url, { max: 10 })), omit: OMIT_SECRETS, log: [{ emit: "event", level: "query" }] });
  let captured: { query: string; params: string; duration: number }[] | undefined;
  logged.$on("query", (event) => captured?.push({ query: event.query, params: event.params, duration: event.duration }));
  // Same client type but for the log option's generic, which no getter reads.
  const prisma = logged as unknown as typeof libPrisma;

  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const say = (line: string) => console.log(line);
  say(`auth log at ${ROWS.toLocaleString("en")} rows; load average at start ${loadavg().map((v) => v.toFixed(1)).join(" ")} on a host other sessions share`);
  say("FreeRADIUS keeps no authentication log of its own (only flat detail files), so there is no ratio against it here.");
  const end = new Date();
  let t = performance.now();
  await seedDirectory(admin);
  const indexes = await dropAuthEventIndexes(admin);
  await seedAuthEvents({ client: admin, first: 1, last: SMALL, total: ROWS, days: DAYS, end });
  await createIndexes(admin, indexes);
  say(`seeded ${SMALL.toLocaleString("en")} rows (+ ${indexes.length} indexes) in ${((performance.now() - t) / 1000).toFixed(0)} s`);

  const time = async (label: string, run: () => Promise<unknown>) => {
    await run();
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      const started = performance.now();
      if (i === SAMPLES - 1) captured = [];
      await run();
      samples.push(performance.now() - started);
    }
    const statements = captured ?? [];
    captured = undefined;
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(SAMPLES / 2)] ?? 0;
    const p95 = samples[Math.min(SAMPLES - 1, Math.ceil(SAMPLES * 0.95) - 1)] ?? 0;
    say(`${label.padEnd(58)} median ${median.toFixed(1).padStart(8)} ms   p95 ${p95.toFixed(1).padStart(8)} ms${median > 100 ? "   SLOW" : ""}`);
    if (median <= 100) return;
    for (const statement of statements.filter((s) => s.duration >= 50 || statements.length === 1)) {
      const params: unknown = JSON.parse(statement.params);
      const plan = await admin.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.query}`, Array.isArray(params) ? params : []);
      say(`  -- ${statement.duration} ms: ${statement.query.slice(0, 400)}\n  -- params ${statement.params.slice(0, 300)}`);
      say(plan.rows.map((row) => `     ${row["QUERY PLAN"]}`).join("\n"));
    }
  };

  await time(`first page, no filter @ ${SMALL.toLocaleString("en")} rows`, () => queryAuthEvents({ prisma, filter: {}, take: 50 }));
  if (ROWS > SMALL) {
    t = performance.now();
    await dropAuthEventIndexes(admin);
    await seedAuthEvents({ client: admin, first: SMALL + 1, last: ROWS, total: ROWS, days: DAYS, end });
    await createIndexes(admin, indexes);
    say(`seeded the other ${(ROWS - SMALL).toLocaleString("en")} rows and rebuilt the indexes in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  await admin.query(`VACUUM (ANALYZE) "AuthEvent"`); // what autovacuum leaves behind: an all-visible, analyzed table
  const size = await admin.query<{ table: string; indexes: string }>(`SELECT pg_size_pretty(pg_table_size('"AuthEvent"')) AS table, pg_size_pretty(pg_indexes_size('"AuthEvent"')) AS indexes`);
  say(`AuthEvent: ${size.rows[0]?.table} table, ${size.rows[0]?.indexes} indexes`);

  const cursorAt = async (where: string, params: unknown[], fraction: number) => {
    const count = await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM "AuthEvent" WHERE ${where}`, params);
    const skip = Math.floor(Number(count.rows[0]?.n ?? 0) * fraction);
    const row = await admin.query<{ time: Date; id: string }>(`SELECT "time", id::text FROM "AuthEvent" WHERE ${where} ORDER BY "time" DESC, id DESC OFFSET ${skip} LIMIT 1`, params);
    const found = row.rows[0];
    if (!found) throw new Error(`no row ${skip} deep for ${where}`);
    // The column holds UTC without a zone; pg read it as local time, so take its wall clock as UTC.
    return { time: new Date(Date.UTC(found.time.getFullYear(), found.time.getMonth(), found.time.getDate(), found.time.getHours(), found.time.getMinutes(), found.time.getSeconds(), found.time.getMilliseconds())), id: BigInt(found.id) };
  };
  const hot = userName(0);
  const typical = userName(4217);
  const hotId = (await admin.query<{ id: string }>(`SELECT id FROM "User" WHERE username = $1`, [hot])).rows[0]?.id ?? "";
  const deep = await cursorAt("true", [], 0.9);
  const hotDeep = await cursorAt("username = $1", [hot], 0.9);
  const day = 86_400_000;
  const rangeFrom = new Date(end.getTime() - 200 * day);
  const rangeTo = new Date(rangeFrom.getTime() + day);

  say(`\nconsole auth log page (queryAuthEvents, 50 a page) and the user page's log section (account = the user, 25 a page):`);
  await time("first page, no filter", () => queryAuthEvents({ prisma, filter: {}, take: 50 }));
  await time("page ~90 % deep (keyset)", () => queryAuthEvents({ prisma, filter: {}, before: deep, take: 50 }));
  await time(`user page, hot user (${HOT_USERS} hot, 1/80 of rows each), first`, () => queryAuthEvents({ prisma, filter: { account: hot }, take: 25 }));
  await time("user page, hot user, ~90 % deep", () => queryAuthEvents({ prisma, filter: { account: hot }, before: hotDeep, take: 25 }));
  await time("user page, typical user, first", () => queryAuthEvents({ prisma, filter: { account: typical }, take: 25 }));
  await time("userId filter, hot user, first", () => queryAuthEvents({ prisma, filter: { userId: hotId }, take: 50 }));
  await time("userId filter, hot user, ~90 % deep", () => queryAuthEvents({ prisma, filter: { userId: hotId }, before: hotDeep, take: 50 }));
  await time(`search "${typical}" (one account)`, () => queryAuthEvents({ prisma, filter: { user: typical }, take: 50 }));
  await time(`search "${hot}" (hot account)`, () => queryAuthEvents({ prisma, filter: { user: hot }, take: 50 }));
  await time(`search prefix "user042" (100 accounts)`, () => queryAuthEvents({ prisma, filter: { user: "user042" }, take: 50 }));
  await time(`search prefix "user0" (10,000 accounts)`, () => queryAuthEvents({ prisma, filter: { user: "user0" }, take: 50 }));
  await time(`search typed prefix "CORP\\user042"`, () => queryAuthEvents({ prisma, filter: { user: "CORP\\user042" }, take: 50 }));
  await time(`search that matches nobody ("nobody-here")`, () => queryAuthEvents({ prisma, filter: { user: "nobody-here" }, take: 50 }));
  await time("result=failure, first", () => queryAuthEvents({ prisma, filter: { result: "failure" }, take: 50 }));
  await time("result=failure, ~90 % deep", () => queryAuthEvents({ prisma, filter: { result: "failure" }, before: deep, take: 50 }));
  await time("client=wifi-ise, first", () => queryAuthEvents({ prisma, filter: { client: "wifi-ise" }, take: 50 }));
  await time("date range (one day, 200 days ago)", () => queryAuthEvents({ prisma, filter: { from: rangeFrom, to: rangeTo }, take: 50 }));
  await time("date range + result=fraud", () => queryAuthEvents({ prisma, filter: { from: rangeFrom, to: rangeTo, result: "fraud" }, take: 50 }));
  await time("CSV export, first 10 pages of 500 (search user042)", async () => {
    let before;
    for (let page = 0; page < 10; page += 1) before = (await queryAuthEvents({ prisma, filter: { user: "user042" }, before, take: 500 })).rows.at(-1);
  });

  say(`\ndashboard (lib/auth-log/summarize-auth-events.ts, loadDashboardData):`);
  await time("summary, last 24 h by hour", () => summarizeAuthEvents({ prisma, since: new Date(Date.now() - day), bucket: "hour" }));
  await time("summary, last 7 days by day", () => summarizeAuthEvents({ prisma, since: new Date(Date.now() - 7 * day), bucket: "day" }));
  await time("loadDashboardData (both + workers)", () => loadDashboardData({ prisma }));

  say(`\nAdmin API /admin/v2/logs/authentication (queryAdminAuthLogs, limit 1000):`);
  const window = { mintime: new Date(end.getTime() - 180 * day), maxtime: end, limit: 1000 };
  await time("last 180 days, desc, first page", () => queryAdminAuthLogs({ prisma, query: { ...window, sort: "desc" } }));
  const inWindow = [window.mintime.toISOString().replace("T", " ").replace("Z", "")];
  const descAfter = await cursorAt(`"time" >= $1`, inWindow, 0.9);
  const ascAfter = await cursorAt(`"time" >= $1`, inWindow, 0.1);
  await time("last 180 days, desc, ~90 % deep (after cursor)", () => queryAdminAuthLogs({ prisma, query: { ...window, sort: "desc", after: descAfter } }));
  await time("last 180 days, asc, ~90 % deep (after cursor)", () => queryAdminAuthLogs({ prisma, query: { ...window, sort: "asc", after: ascAfter } }));
  await time("users=[hot user], desc, first page", () => queryAdminAuthLogs({ prisma, query: { ...window, sort: "desc", users: [hotId] } }));
  await time("results=[fraud], desc, first page", () => queryAdminAuthLogs({ prisma, query: { ...window, sort: "desc", results: ["fraud"] } }));

  say(`\ntwofold prune --older-than 400d (pruneOldRecords, CLI defaults) while a loop inserts one event at a time:`);
  const inserter = new pg.Client({ connectionString: db.url });
  await inserter.connect();
  const insertLoop = (stop: { done: boolean }) => {
    const latencies: number[] = [];
    const loop = (async () => {
      while (!stop.done) {
        const started = performance.now();
        await inserter.query(`INSERT INTO "AuthEvent" ("eventId", "time", "usernameRaw", username, result, reason, "workerId")
          VALUES (gen_random_uuid(), now() AT TIME ZONE 'utc', 'alice', 'alice', 'success', 'valid_passcode', 'bench-loop')`);
        latencies.push(performance.now() - started);
      }
    })();
    return { latencies, loop };
  };
  const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * p) - 1)] ?? 0;
  const quiet = { done: false };
  const baseline = insertLoop(quiet);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  quiet.done = true;
  await baseline.loop;
  const during = { done: false };
  const concurrent = insertLoop(during);
  t = performance.now();
  const pruned = await pruneOldRecords({ prisma: libPrisma, olderThanDays: 400, actor: CLI_ACTOR });
  const pruneMs = performance.now() - t;
  during.done = true;
  await concurrent.loop;
  say(`deleted ${pruned.counts.authEvents.toLocaleString("en")} auth events (${JSON.stringify(pruned.counts)}) in ${(pruneMs / 1000).toFixed(1)} s`);
  for (const [label, values] of [["inserts alone (10 s)", baseline.latencies], ["inserts during prune", concurrent.latencies]] as const) {
    say(`${label.padEnd(24)} ${values.length} inserts, p50 ${pct(values, 0.5).toFixed(1)} ms, p99 ${pct(values, 0.99).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`);
  }
  say(`load average at end ${loadavg().map((v) => v.toFixed(1)).join(" ")}`);
  await inserter.end();
  await admin.end();
  await logged.$disconnect();
  await disconnectPrisma();
  await db.stop();
};
void main();
