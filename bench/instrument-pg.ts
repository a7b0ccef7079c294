// Preloaded into the benchmark's worker processes (`node --import tsx --import ./bench/instrument-pg.ts …`), never
// into production: counts every round trip to PostgreSQL (pg's Client.query, which Prisma's adapter uses too) by
// statement, times how long each pool checkout waits for a free connection, and writes the totals to
// $BENCH_STATS_DIR/<pid>.json when the process gets SIGUSR2. The benchmark takes a snapshot before and after the
// measured phase and prints the difference per login.
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import pg from "pg";

export type TPoolStats = { label: string; max: number; checkouts: number; waited: number; waitMsTotal: number; waitMsMax: number; waitHistogram: number[]; maxInUse: number };
type TStatementStats = { calls: number; msTotal: number };

// Buckets for checkout waits: < 0.1, < 0.3, < 1, < 3, < 10, < 30, < 100, ≥ 100 ms.
export const WAIT_BUCKETS_MS = [0.1, 0.3, 1, 3, 10, 30, 100];
const pools: TPoolStats[] = [];
const statements = new Map<string, TStatementStats>();
let seq = 0;

const keys = new Map<string, string>(); // statement text → its label, so the instrumentation costs a lookup per query
const statementKey = (config: unknown): string => {
  const text = typeof config === "string" ? config : typeof config === "object" && config && "text" in config ? String((config as { text: unknown }).text) : "(submittable)";
  let key = keys.get(text);
  if (key === undefined) {
    key = text.replace(/\s+/g, " ").trim().slice(0, 90);
    if (keys.size < 10_000) keys.set(text, key);
  }
  return key;
};

type TCallback = (...args: unknown[]) => void;
type TQuery = (this: pg.Client, ...args: unknown[]) => unknown;
const clientProto = pg.Client.prototype as unknown as { query: TQuery };
const originalQuery = clientProto.query;
clientProto.query = function (this: pg.Client, ...args: unknown[]) {
  const key = statementKey(args[0]);
  const stats = statements.get(key) ?? { calls: 0, msTotal: 0 };
  statements.set(key, stats);
  stats.calls += 1;
  const started = performance.now();
  const done = () => {
    stats.msTotal += performance.now() - started;
  };
  const last = args.length - 1;
  if (typeof args[last] === "function") {
    const callback = args[last] as TCallback;
    args[last] = (...result: unknown[]) => {
      done();
      callback(...result);
    };
    return originalQuery.apply(this, args);
  }
  const result = originalQuery.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === "function") (result as Promise<unknown>).then(done, done);
  return result;
};

type TConnect = (this: pg.Pool, callback?: TCallback) => unknown;
const poolProto = pg.Pool.prototype as unknown as { connect: TConnect };
const originalConnect = poolProto.connect;
const statsOf = new WeakMap<object, TPoolStats>();
poolProto.connect = function (this: pg.Pool, callback?: TCallback) {
  let stats = statsOf.get(this);
  if (!stats) {
    const stack = new Error().stack ?? "";
    const owner = stack.includes("adapter-pg") ? "prisma" : stack.includes("auth-log") || stack.includes("event-writer") ? "auth-log" : "pg";
    stats = { label: `${owner}#${pools.length + 1}`, max: this.options.max ?? 10, checkouts: 0, waited: 0, waitMsTotal: 0, waitMsMax: 0, waitHistogram: WAIT_BUCKETS_MS.map(() => 0).concat(0), maxInUse: 0 };
    statsOf.set(this, stats);
    pools.push(stats);
  }
  const record = stats;
  const full = this.totalCount >= (this.options.max ?? 10) && this.idleCount === 0;
  const started = performance.now();
  const settle = () => {
    const waitMs = performance.now() - started;
    record.checkouts += 1;
    if (full) record.waited += 1;
    record.waitMsTotal += waitMs;
    record.waitMsMax = Math.max(record.waitMsMax, waitMs);
    const bucket = WAIT_BUCKETS_MS.findIndex((limit) => waitMs < limit);
    record.waitHistogram[bucket === -1 ? WAIT_BUCKETS_MS.length : bucket]! += 1;
    record.maxInUse = Math.max(record.maxInUse, this.totalCount - this.idleCount);
  };
  if (callback) {
    return originalConnect.call(this, (...result: unknown[]) => {
      settle();
      callback(...result);
    });
  }
  const result = originalConnect.call(this) as Promise<unknown>;
  return result.then((client) => {
    settle();
    return client;
  });
};

// Where a process's resident memory is: V8's heap (committed and live), memory outside it that V8 knows of (Buffers,
// WebAssembly), and the rest (code, malloc arenas, thread stacks) as RSS minus those.
export type TProcessMemory = { rssBytes: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number; spaces: Record<string, { size: number; used: number }> };
export type TProcessDbStats = { pid: number; seq: number; pools: TPoolStats[]; statements: Record<string, TStatementStats>; rssBytes: number; memory: TProcessMemory };

const memory = (): TProcessMemory => {
  const usage = process.memoryUsage();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((space) => [space.space_name, { size: space.space_size, used: space.space_used_size }]));
  return { rssBytes: usage.rss, heapTotal: usage.heapTotal, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers, spaces };
};

const dir = process.env.BENCH_STATS_DIR;
if (dir) {
  process.on("SIGUSR2", () => {
    seq += 1;
    const snapshot: TProcessDbStats = { pid: process.pid, seq, pools, statements: Object.fromEntries(statements), rssBytes: process.memoryUsage.rss(), memory: memory() };
    const file = path.join(dir, `${process.pid}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
    renameSync(`${file}.tmp`, file); // so a reader never sees half a file
    // The maxima are per snapshot interval (the benchmark's measured phase), the counts cumulative.
    for (const pool of pools) {
      pool.waitMsMax = 0;
      pool.maxInUse = 0;
    }
  });
}
