import pg from "pg";
import { z } from "zod";
import { createSiemSender, type TSiemSender } from "./create-siem-sender";
import { serializedDb, type TSiemDb } from "./siem-db";
import { ensureSiemCursors, shipSiemBatch, SIEM_STREAMS } from "./ship-siem-target";
import type { TSiemFacility, TSiemTarget } from "./siem-target-schema";

// Any fixed 64-bit key: the one session holding it is the fleet's only shipper.
export const SIEM_LOCK_KEY = 7_236_001_913_402_055n;
const ZLockedSchema = z.array(z.object({ locked: z.boolean() }));

export type TSiemShipperOptions = {
  databaseUrl: string;
  targets: TSiemTarget[];
  facility: TSiemFacility;
  hostname: string;
  ca?: Buffer; // TLS targets: trust this CA instead of the system's
  log: (line: string) => void;
  batchSize?: number; // per stream per round; default 500
  pollMs?: number; // idle wait between rounds; default 1000
  electionMs?: number; // how often a follower tries to become the shipper; default 2000
  retryMaxMs?: number; // longest wait before retrying a failing target; default 30 000
};

export type TSiemShipperStats = { leader: boolean; targets: Record<string, { shipped: number; failures: number; lastError?: string }> };

// Every worker runs one; the one whose session holds the advisory lock ships, the others wait to take over. Reads,
// cursor moves and the lock share one connection: if it drops, the lock goes with it and this shipper stops before
// another can start, so two never ship at once.
export const startSiemShipper = (options: TSiemShipperOptions): { stop: () => Promise<void>; stats: () => TSiemShipperStats } => {
  const batchSize = options.batchSize ?? 500;
  const pollMs = options.pollMs ?? 1000;
  const electionMs = options.electionMs ?? 2000;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const stopping = new AbortController();
  const state: TSiemShipperStats = { leader: false, targets: Object.fromEntries(options.targets.map((target) => [target.key, { shipped: 0, failures: 0 }])) };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      stopping.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });

  // One target's loop while this session leads: both streams, then wait; a failure backs off this target only.
  const runTarget = async (db: TSiemDb, target: TSiemTarget, sender: TSiemSender, connection: AbortSignal) => {
    const stats = state.targets[target.key] ?? { shipped: 0, failures: 0 };
    let failing = 0;
    while (!stopping.signal.aborted && !connection.aborted) {
      let full = false;
      try {
        for (const stream of SIEM_STREAMS) {
          const sent = await shipSiemBatch({ db, sender, target: target.key, stream, limit: batchSize, signal: stopping.signal });
          stats.shipped += sent;
          full ||= sent === batchSize;
        }
        if (failing > 0) options.log(`SIEM ${target.key}: delivering again after ${failing} failed attempt(s)`);
        failing = 0;
        stats.lastError = undefined;
      } catch (error) {
        if (connection.aborted || stopping.signal.aborted) return;
        failing += 1;
        stats.failures += 1;
        stats.lastError = error instanceof Error ? error.message : String(error);
        const waitMs = Math.min(retryMaxMs, 500 * 2 ** Math.min(failing, 10));
        // The first failure and then every tenth: an outage of hours must not fill the log.
        if (failing === 1 || failing % 10 === 0) options.log(`SIEM ${target.key}: delivery failed (${stats.lastError}); retrying in ${Math.round(waitMs / 1000)} s, nothing is skipped`);
        await sleep(waitMs);
        continue;
      }
      if (!full) await sleep(pollMs);
    }
  };

  const lead = async (client: pg.Client) => {
    const db = serializedDb(client);
    await ensureSiemCursors({ db, targetKeys: options.targets.map((target) => target.key) });
    state.leader = true;
    options.log(`SIEM: this worker ships the auth and audit logs to ${options.targets.map((target) => target.key).join(", ")}`);
    const connection = new AbortController();
    client.on("error", () => connection.abort());
    client.on("end", () => connection.abort());
    const senders = options.targets.map((target) => ({ target, sender: createSiemSender({ target, facility: options.facility, hostname: options.hostname, ca: options.ca }) }));
    try {
      await Promise.all(senders.map(({ target, sender }) => runTarget(db, target, sender, connection.signal)));
    } finally {
      state.leader = false;
      await Promise.all(senders.map(({ sender }) => sender.close()));
    }
    if (connection.signal.aborted && !stopping.signal.aborted) throw new Error("database connection lost");
  };

  const run = async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      const db = new pg.Client({ connectionString: options.databaseUrl, statement_timeout: 30_000, connectionTimeoutMillis: 5000 });
      db.on("error", () => undefined); // surfaced by the next query; the lock is gone with the session
      try {
        await db.connect();
        if (failures > 0) options.log(`SIEM shipper: database reachable again after ${failures} failed attempt(s)`);
        failures = 0;
        while (!stopping.signal.aborted) {
          const { rows } = await db.query("SELECT pg_try_advisory_lock($1::bigint) AS locked", [String(SIEM_LOCK_KEY)]);
          if (ZLockedSchema.parse(rows).at(0)?.locked === true) {
            await lead(db);
            break;
          }
          await sleep(electionMs);
        }
      } catch (error) {
        failures += 1;
        // The first failure and then about once a minute: a database outage is reported by the rest of the worker too.
        const report = failures === 1 || failures % Math.max(1, Math.round(60_000 / electionMs)) === 0;
        if (!stopping.signal.aborted && report) options.log(`SIEM shipper: ${error instanceof Error ? error.message : String(error)}; trying again every ${electionMs / 1000} s`);
      } finally {
        await db.end().catch(() => undefined); // ends the session: releases the lock for the next worker
      }
      if (!stopping.signal.aborted) await sleep(electionMs);
    }
  };

  const running = run();
  return {
    stop: async () => {
      stopping.abort();
      await running;
    },
    stats: (): TSiemShipperStats => JSON.parse(JSON.stringify(state)) as TSiemShipperStats, // plain JSON for the heartbeat
  };
};
