import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { RemoteInfo, Socket } from "node:dgram";
import { createAccountingLogWriter } from "../lib/auth-log/create-accounting-log-writer";
import { createAuthLogWriter } from "../lib/auth-log/create-auth-log-writer";
import { createPrimaryDispatch, type TDirectoryAuth } from "../lib/auth-flow/create-primary-dispatch";
import { createDropCounter } from "../lib/auth-flow/drop-counter";
import type { TFlowDeps } from "../lib/auth-flow/flow-types";
import { createUserReader } from "../lib/users/create-user-reader";
import { pgQuery } from "../lib/users/read-user";
import { processAccountingDatagram } from "../lib/auth-flow/process-accounting-datagram";
import { processAuthDatagram } from "../lib/auth-flow/process-auth-datagram";
import { createRetransmitCache } from "../lib/auth-flow/retransmit-cache";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import { watchConfig } from "../lib/config/watch-config";
import { createPushRuntime } from "../lib/push/create-push-runtime";
import { createDatabaseProbe } from "../lib/second-factor/create-database-probe";
import { runSecondFactor } from "../lib/second-factor/run-second-factor";
import { RadiusCode } from "../lib/radius/constants";
import { ensureDictionaries } from "../lib/radius/dictionary";
import { createUpstreamTransport } from "../lib/radius/upstream/create-upstream-transport";
import { createHoldDown } from "../lib/radius/upstream/hold-down";
import { bindUdp, closeUdp } from "./bind-udp";
import { startHealthServer } from "./health-server";
import { startHeartbeat } from "./heartbeat";

export type TStartWorkerOptions = {
  databaseUrl: string;
  host?: string;
  authPort: number; // 0 = ephemeral (tests); the bound port is returned
  acctPort: number;
  healthPort?: number; // omitted = no health endpoint
  healthHost?: string; // default 127.0.0.1: the counters are for this host's monitoring, not the network the NAS is on
  workerId?: string;
  dataDir: string; // the auth-log spool lives under it
  log?: (line: string) => void;
  retransmitTtlMs?: number;
  holdDownMs?: number;
  heartbeatMs?: number;
  enrollmentBaseUrl?: string;
  pushFetch?: typeof fetch; // tests: where Web Push requests go
  userCacheMs?: number; // see lib/users/create-user-reader.ts; 0 (default) reads the user on every request
  ldap?: TDirectoryAuth;
  local?: TDirectoryAuth;
};

export type TWorker = {
  workerId: string;
  authPort: number;
  acctPort: number;
  healthPort?: number;
  configVersion: () => number;
  stats: () => Record<string, unknown>;
  stop: () => Promise<void>;
};

// The RADIUS worker: sockets and timers only. What to answer is decided in lib/auth-flow.
export const startWorker = async (options: TStartWorkerOptions): Promise<TWorker> => {
  ensureDictionaries();
  const log = options.log ?? ((line: string) => console.log(`[worker] ${line}`));
  const workerId = options.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
  const host = options.host ?? "0.0.0.0";
  const startedAt = Date.now();
  const counters = { received: 0, accepted: 0, rejected: 0, challenged: 0, status: 0, absorbed: 0, resent: 0, accounting: 0, errors: 0 };
  const prisma = createConfigPrisma({ databaseUrl: options.databaseUrl, max: 8 });
  const cleanups: (() => Promise<void> | void)[] = [() => prisma.$disconnect()];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await Promise.resolve(step()).catch((error) => log(`stop: ${String(error)}`));
  };
  try {
    const watcher = await watchConfig({ databaseUrl: options.databaseUrl, prisma, log });
    cleanups.push(() => watcher.stop());
    const spoolDir = path.join(options.dataDir, "spool");
    const authLog = await createAuthLogWriter({ databaseUrl: options.databaseUrl, spoolDir, workerId, log });
    cleanups.push(() => authLog.close());
    const accountingLog = await createAccountingLogWriter({ databaseUrl: options.databaseUrl, spoolDir, workerId, log });
    cleanups.push(() => accountingLog.close());
    const transport = await createUpstreamTransport();
    cleanups.push(() => transport.close());
    const cache = createRetransmitCache({ ttlMs: options.retransmitTtlMs ?? 30_000 });
    cleanups.push(() => cache.stop());
    const drops = createDropCounter({ log });
    const holdDown = createHoldDown({ holdMs: options.holdDownMs ?? 30_000 });
    // Every hot-path read is bounded, so a reachable but stuck database ends a login with an error (the classifier in
    // lib/second-factor tells that from an outage) instead of holding the NAS's request open.
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 8, connectionTimeoutMillis: 3000, statement_timeout: 10_000, query_timeout: 12_000 });
    pool.on("error", (error) => log(`database pool: ${error.message}`));
    cleanups.push(() => pool.end());
    // One LISTEN connection for every pending push of this worker.
    const push = await createPushRuntime({ databaseUrl: options.databaseUrl, log, fetchImpl: options.pushFetch });
    cleanups.push(() => push.stop());
    // Fail mode "safe" opens only when this fresh-connection probe cannot reach PostgreSQL either.
    const probe = createDatabaseProbe({ databaseUrl: options.databaseUrl });
    const readUser = createUserReader({ query: pgQuery(pool), cacheMs: options.userCacheMs });
    const deps: TFlowDeps = {
      prisma,
      readUser,
      primary: createPrimaryDispatch({ prisma, transport, holdDown, ldap: options.ldap, local: options.local }),
      secondFactor: ({ request, policy, application, user }) =>
        runSecondFactor({ prisma, request, policy, application, user, readUser, push, probe, enrollmentBaseUrl: options.enrollmentBaseUrl }),
    };

    const send = (socket: Socket, reply: Buffer, rinfo: RemoteInfo) => socket.send(reply, rinfo.port, rinfo.address);
    const auth = await bindUdp({ host, port: options.authPort });
    cleanups.push(() => closeUdp(auth.socket));
    let closing = false;
    let inFlight = 0;
    auth.socket.on("message", (message, rinfo) => {
      if (closing) return;
      counters.received += 1;
      inFlight += 1;
      // The snapshot is read once: a reload during this request does not change what it sees.
      const snapshot = watcher.current();
      void processAuthDatagram({ message, address: rinfo.address, port: rinfo.port, snapshot, cache, deps, log })
        .then((outcome) => {
          switch (outcome.kind) {
            case "drop":
              return drops.drop(outcome.reason, `${rinfo.address}:${rinfo.port}`, outcome.detail);
            case "absorbed":
              counters.absorbed += 1;
              return;
            case "resent":
              counters.resent += 1;
              return send(auth.socket, outcome.reply, rinfo);
            case "status":
              counters.status += 1;
              return send(auth.socket, outcome.reply, rinfo);
            default:
              // Journal before answering: the reply waits for the fdatasync of the group holding its event (group
              // commit, a few ms), so a crash cannot lose a decision the NAS was told. A journal the disk refuses is
              // logged and counted by the writer, and the NAS is answered all the same.
              return Promise.resolve()
                .then(() => authLog.journal({ ...outcome.event, workerId }))
                .catch((error: unknown) => log(`auth log: ${String(error)}`))
                .then(() => {
                  outcome.complete();
                  send(auth.socket, outcome.reply, rinfo);
                  if (outcome.code === RadiusCode.AccessAccept) counters.accepted += 1;
                  else if (outcome.code === RadiusCode.AccessChallenge) counters.challenged += 1;
                  else counters.rejected += 1;
                });
          }
        })
        .catch((error) => {
          counters.errors += 1;
          log(`auth datagram: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        })
        .finally(() => {
          inFlight -= 1;
        });
    });

    const acct = await bindUdp({ host, port: options.acctPort });
    cleanups.push(() => closeUdp(acct.socket));
    acct.socket.on("message", (message, rinfo) => {
      if (closing) return;
      try {
        const outcome = processAccountingDatagram({ message, address: rinfo.address, port: rinfo.port, snapshot: watcher.current(), cache });
        if (outcome.kind === "drop") return drops.drop(outcome.reason, `${rinfo.address}:${rinfo.port}`, outcome.detail);
        if (outcome.kind !== "answered") return send(acct.socket, outcome.reply, rinfo);
        counters.accounting += 1;
        // RFC 2866 §2: no Accounting-Response before the record is stored; journaled (fdatasync) is stored.
        void Promise.resolve()
          .then(() => accountingLog.journal({ ...outcome.event, workerId }))
          .catch((error: unknown) => log(`accounting log: ${String(error)}`))
          .then(() => send(acct.socket, outcome.reply, rinfo))
          .catch((error: unknown) => log(`accounting reply: ${String(error)}`)); // the socket closed meanwhile (stop)
        const forward = outcome.forward;
        if (forward?.server.accountingPort && forward.server.secret) {
          void transport
            .exchange({
              target: { host: forward.server.host, port: forward.server.accountingPort, secret: Buffer.from(forward.server.secret, "utf8") },
              code: RadiusCode.AccountingRequest,
              attributes: () => forward.attributes,
              timeoutMs: forward.server.timeoutMs,
              retries: forward.server.retries,
            })
            .then((result) => {
              if (!result.ok) log(`accounting forward to ${forward.server.name}: ${result.detail}`);
            });
        }
      } catch (error) {
        counters.errors += 1;
        log(`accounting datagram: ${String(error)}`);
      }
    });

    // On stop: take no new requests, let those in flight answer and log (bounded), then close sockets and flush.
    cleanups.push(async () => {
      closing = true;
      const deadline = Date.now() + 5000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    });
    const stats = () => ({ ...counters, dropped: drops.counts(), retransmitCache: cache.size(), authLog: authLog.stats() });
    let healthPort: number | undefined;
    if (options.healthPort !== undefined) {
      const health = await startHealthServer({
        host: options.healthHost ?? "127.0.0.1",
        port: options.healthPort,
        body: () => ({ workerId, configVersion: watcher.current().version, uptimeSec: Math.round((Date.now() - startedAt) / 1000), counters: stats() }),
      });
      healthPort = health.port;
      cleanups.push(() => health.close());
    }
    const heartbeat = startHeartbeat({ prisma, workerId, intervalMs: options.heartbeatMs ?? 5000, configVersion: () => watcher.current().version, stats, log, address: `${host}:${auth.port}` });
    cleanups.push(() => heartbeat.stop());
    log(`${workerId} serving RADIUS on ${host}:${auth.port} (auth) and ${host}:${acct.port} (accounting), config version ${watcher.current().version}`);

    let stopping: Promise<void> | undefined;
    return {
      workerId,
      authPort: auth.port,
      acctPort: acct.port,
      healthPort,
      configVersion: () => watcher.current().version,
      stats,
      // Sockets first (no new work), then flush the logs, then the database.
      stop: () => (stopping ??= cleanup()),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
};
