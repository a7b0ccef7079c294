import pg from "pg";
import { z } from "zod";
import { WAIT_BUCKETS_MS, type TProcessDbStats } from "./instrument-pg";

// Where the database time of a benchmark run goes, per login: from PostgreSQL's side (pg_stat_database transactions
// and row counts, pg_stat_statements by statement) and from the worker's (round trips by statement, pool waits).

const ZDatabaseRowSchema = z.object({
  xact_commit: z.coerce.number(),
  xact_rollback: z.coerce.number(),
  tup_returned: z.coerce.number(),
  tup_fetched: z.coerce.number(),
  tup_inserted: z.coerce.number(),
  tup_updated: z.coerce.number(),
  tup_deleted: z.coerce.number(),
  tup_hot_updated: z.coerce.number(), // of tup_updated, those that wrote no index entry (pg_stat_user_tables)
});
type TDatabaseCounters = z.infer<typeof ZDatabaseRowSchema>;

const ZStatementRowSchema = z.object({ query: z.string(), calls: z.coerce.number(), total_ms: z.coerce.number(), rows: z.coerce.number() });

export type TDbSnapshot = { database: TDatabaseCounters; worker: TProcessDbStats[] };

// pg_stat_database is updated when a backend reports (at most every second, and at transaction end when idle): the
// caller waits a moment after the run before the second snapshot.
export const databaseCounters = async (databaseUrl: string): Promise<TDatabaseCounters> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_stat_force_next_flush()");
    const { rows } = await client.query(
      `SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted,
         (SELECT COALESCE(sum(n_tup_hot_upd), 0) FROM pg_stat_user_tables) AS tup_hot_updated
       FROM pg_stat_database WHERE datname = current_database()`,
    );
    return ZDatabaseRowSchema.parse(rows[0]);
  } finally {
    await client.end();
  }
};

export const resetStatements = async (databaseUrl: string): Promise<void> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("SELECT pg_stat_statements_reset()");
  await client.end();
};

const topStatements = async (databaseUrl: string) => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, total_exec_time AS total_ms, rows FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat%' ORDER BY calls DESC LIMIT 12`,
    );
    return z.array(ZStatementRowSchema).parse(rows);
  } finally {
    await client.end();
  }
};

const sumStatements = (stats: TProcessDbStats[]) => {
  const total = new Map<string, { calls: number; msTotal: number }>();
  for (const process of stats) {
    for (const [key, value] of Object.entries(process.statements)) {
      const entry = total.get(key) ?? { calls: 0, msTotal: 0 };
      entry.calls += value.calls;
      entry.msTotal += value.msTotal;
      total.set(key, entry);
    }
  }
  return total;
};

const sumPools = (stats: TProcessDbStats[]) => {
  const total = new Map<string, TProcessDbStats["pools"][number]>();
  for (const process of stats) {
    for (const pool of process.pools) {
      const key = `${pool.label.replace(/#\d+$/, "")} (max ${pool.max})`;
      const entry = total.get(key) ?? { ...pool, label: key, checkouts: 0, waited: 0, waitMsTotal: 0, waitMsMax: 0, waitHistogram: pool.waitHistogram.map(() => 0), maxInUse: 0 };
      entry.checkouts += pool.checkouts;
      entry.waited += pool.waited;
      entry.waitMsTotal += pool.waitMsTotal;
      entry.waitMsMax = Math.max(entry.waitMsMax, pool.waitMsMax);
      entry.maxInUse = Math.max(entry.maxInUse, pool.maxInUse);
      pool.waitHistogram.forEach((count, i) => (entry.waitHistogram[i] = (entry.waitHistogram[i] ?? 0) + count));
      total.set(key, entry);
    }
  }
  return total;
};

// The worker-side counters are cumulative: subtract the snapshot taken before the run.
const diffPools = (before: TProcessDbStats[], after: TProcessDbStats[]) => {
  const a = sumPools(after);
  const b = sumPools(before);
  return [...a.values()].map((pool) => {
    const old = b.get(pool.label);
    return {
      ...pool,
      checkouts: pool.checkouts - (old?.checkouts ?? 0),
      waited: pool.waited - (old?.waited ?? 0),
      waitMsTotal: pool.waitMsTotal - (old?.waitMsTotal ?? 0),
      waitHistogram: pool.waitHistogram.map((count, i) => count - (old?.waitHistogram[i] ?? 0)),
    };
  });
};

export const describeDbWork = async (options: { databaseUrl: string; before: TDbSnapshot; after: TDbSnapshot; logins: number; seconds: number }): Promise<string> => {
  const { before, after, logins } = options;
  const per = (value: number) => (value / Math.max(1, logins)).toFixed(2);
  const d = (key: keyof TDatabaseCounters) => after.database[key] - before.database[key];
  const lines = [
    `  PostgreSQL (pg_stat_database): ${per(d("xact_commit") + d("xact_rollback"))} transactions/login (${((d("xact_commit") + d("xact_rollback")) / options.seconds).toFixed(0)}/s), rows per login: ${per(d("tup_updated"))} updated (${per(d("tup_hot_updated"))} of them HOT), ${per(d("tup_inserted"))} inserted, ${per(d("tup_deleted"))} deleted, ${per(d("tup_fetched"))} fetched`,
  ];
  const afterStatements = sumStatements(after.worker);
  const beforeStatements = sumStatements(before.worker);
  const trips = [...afterStatements].map(([key, value]) => ({ key, calls: value.calls - (beforeStatements.get(key)?.calls ?? 0), ms: value.msTotal - (beforeStatements.get(key)?.msTotal ?? 0) })).filter((entry) => entry.calls > 0).sort((a, b) => b.calls - a.calls);
  const totalTrips = trips.reduce((sum, entry) => sum + entry.calls, 0);
  lines.push(`  worker round trips to PostgreSQL: ${per(totalTrips)} per login; by statement (per login, mean client-side ms):`);
  for (const entry of trips.slice(0, 10)) lines.push(`    ${per(entry.calls).padStart(6)}  ${(entry.ms / entry.calls).toFixed(2).padStart(6)} ms  ${entry.key}`);
  lines.push("  pool checkouts (worker side):");
  for (const pool of diffPools(before.worker, after.worker).filter((entry) => entry.checkouts > 0)) {
    const histogram = pool.waitHistogram.map((count, i) => `${i < WAIT_BUCKETS_MS.length ? `<${WAIT_BUCKETS_MS[i]}` : `≥${WAIT_BUCKETS_MS.at(-1)}`}ms:${count}`).join(" ");
    lines.push(`    ${pool.label}: ${per(pool.checkouts)}/login, found full ${((100 * pool.waited) / pool.checkouts).toFixed(1)}%, wait mean ${(pool.waitMsTotal / pool.checkouts).toFixed(3)} ms max ${pool.waitMsMax.toFixed(1)} ms, most in use ${pool.maxInUse}; ${histogram}`);
  }
  lines.push("  pg_stat_statements (server side, calls per login, mean exec ms):");
  for (const row of await topStatements(options.databaseUrl)) lines.push(`    ${per(row.calls).padStart(6)}  ${(row.total_ms / Math.max(1, row.calls)).toFixed(3).padStart(7)} ms  ${row.query.slice(0, 110)}`);
  return lines.join("\n");
};

// Per worker process: where its resident memory is (bench/instrument-pg.ts reads it inside the process).
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
export const describeMemory = (stats: TProcessDbStats[]): string =>
  stats
    .map(({ pid, memory: m }) => {
      const spaces = Object.entries(m.spaces).filter(([, space]) => space.size >= 1024 * 1024).map(([name, space]) => `${name.replace(/_space$/, "")} ${mb(space.used)}/${mb(space.size)}`);
      return `  process ${pid}: RSS ${mb(m.rssBytes)} MB = V8 heap ${mb(m.heapTotal)} (${mb(m.heapUsed)} used; used/committed by space: ${spaces.join(", ")}) + external ${mb(m.external)} (buffers ${mb(m.arrayBuffers)}) + the rest ${mb(m.rssBytes - m.heapTotal - m.external)} (binary, code, malloc, stacks)`;
    })
    .join("\n");
