import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { RemoteInfo, Socket } from "node:dgram";
import { createAclGrantMemory } from "../lib/acl-download/create-acl-grant-memory";
import { rememberAclGrants } from "../lib/acl-download/remember-acl-grants";
import { createAccountingForwarder } from "../lib/accounting-forward/create-accounting-forwarder";
import { createAccountingLogWriter } from "../lib/auth-log/create-accounting-log-writer";
import { createSessionRecorder } from "../lib/coa/create-session-recorder";
import { createAuthLogWriter } from "../lib/auth-log/create-auth-log-writer";
import { createPrimaryDispatch, type TDirectoryAuth } from "../lib/auth-flow/create-primary-dispatch";
import { createDropCounter } from "../lib/auth-flow/drop-counter";
import type { TFlowDeps } from "../lib/auth-flow/flow-types";
import { createUserReader } from "../lib/users/create-user-reader";
import { pgQuery } from "../lib/users/read-user";
import { processAccountingDatagram } from "../lib/auth-flow/process-accounting-datagram";
import { processAuthDatagram } from "../lib/auth-flow/process-auth-datagram";
import { journalThenAnswer } from "../lib/auth-flow/journal-then-answer";
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
import { createClientDropCounter } from "../lib/metrics/count-client-drops";
import { createWorkerMetrics, type TWorkerMetrics } from "../lib/metrics/create-worker-metrics";
import { observeReloadLag } from "../lib/metrics/observe-reload-lag";
import { timeFlowDeps } from "../lib/metrics/time-flow-deps";
import { timeUpstreamTransport } from "../lib/metrics/time-upstream-transport";
import { trackBacklogAge } from "../lib/metrics/track-backlog-age";
import { longestPrefixMatch } from "../lib/net/cidr";
import { decideReadiness } from "../lib/workers/decide-readiness";
import { startApiServer, type TApiServer, type TApiServerConfig } from "./api-server";
import { bindUdp, closeUdp } from "./bind-udp";
import { startCoaServer, type TCoaServer } from "./coa-server";
import { createCoaTransport } from "../lib/coa/create-coa-transport";
import { createCoaReplayMemory } from "../lib/coa/create-coa-replay-memory";
import { startDisconnectSender } from "../lib/coa/start-disconnect-sender";
import { startHealthServer } from "./health-server";
import { splitDatabasePools } from "./split-database-pools";
import { networkInterfaces } from "node:os";
import { findReachableAddresses } from "../lib/workers/find-reachable-addresses";
import { startHeartbeat } from "./heartbeat";
import { startRetentionTimer } from "./retention-timer";
import { startDirectorySyncTimer } from "./directory-sync-timer";
import { startWorkerSiem, type TWorkerSiemConfig } from "./siem-shipper";
import { logAnsweredRequest } from "./log-request";
import { createLogger, type TLogger } from "../lib/log/create-logger";
import { lineLog } from "../lib/log/line-log";
import { pgPoolConfig } from "../lib/db/pg-connection";

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
  reusePort?: boolean; // share the RADIUS ports with this host's other worker processes (worker/start-worker-pool.ts)
  coaPorts?: number[]; // UDP ports for CoA/Disconnect from the upstream (RFC 5176; 0 = ephemeral); none when omitted
  coaNasTimeoutMs?: number; // per attempt (3 attempts) when sending CoA/Disconnect to a NAS; default 1500
  disconnectPollMs?: number; // how often to look for the console's Disconnect requests besides their NOTIFY; default 2000
  accountingRetryMaxMs?: number; // longest wait between attempts at a silent upstream accounting server; default 30 000
  accountingAdoptEveryMs?: number; // how often to look for accounting queues of stopped workers (besides at start); default 60 000
  databasePoolMax?: number; // per pool (config/Prisma, hot-path pg); default 8. worker/main.ts splits a host budget
  ldap?: TDirectoryAuth;
  local?: TDirectoryAuth;
  api?: TApiServerConfig; // the Duo-compatible HTTPS API (worker/api-server.ts); omitted = not served
  siem?: TWorkerSiemConfig; // stream the auth and audit logs (lib/siem); omitted = no stream
  logger?: TLogger; // structured lines (lib/log); `log` lines go through it unless `log` is given
};

export type TWorker = {
  workerId: string;
  authPort: number;
  acctPort: number;
  coaPorts: number[]; // bound CoA ports, in the order asked
  healthPort?: number;
  api?: Pick<TApiServer, "port" | "caFile" | "tls">; // tls: handed to this host's other processes (worker/worker-process.ts)
  configVersion: () => number;
  stats: () => Record<string, unknown>;
  metrics: TWorkerMetrics["registry"]; // Prometheus; the primary of several processes aggregates their JSON
  stop: () => Promise<void>;
};

// The RADIUS worker: sockets and timers only. What to answer is decided in lib/auth-flow.
export const startWorker = async (options: TStartWorkerOptions): Promise<TWorker> => {
  ensureDictionaries();
  const logger = options.logger ?? createLogger({ name: "worker", base: { workerId: options.workerId } });
  const log = options.log ?? lineLog(logger);
  const workerId = options.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
  const host = options.host ?? "0.0.0.0";
  const startedAt = Date.now();
  const metrics = createWorkerMetrics();
  const clientDrops = createClientDropCounter(); // drops of matched clients, per client (dashboard, client page)
  const counters = { received: 0, accepted: 0, rejected: 0, challenged: 0, status: 0, absorbed: 0, resent: 0, accounting: 0, errors: 0 };
  const poolMax = options.databasePoolMax ?? 8;
  // Measured (bench/rush.ts, 2 processes): 8 pg connections each were found busy on 80 % of checkouts; 12–16 cut the
  // wait by half or more.
  const { prismaMax, pgMax } = splitDatabasePools(poolMax);
  const prisma = createConfigPrisma({ databaseUrl: options.databaseUrl, max: prismaMax });
  const cleanups: (() => Promise<void> | void)[] = [() => prisma.$disconnect()];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await Promise.resolve(step()).catch((error) => log(`stop: ${String(error)}`));
  };
  try {
    const watcher = await watchConfig({ databaseUrl: options.databaseUrl, prisma, log, onSnapshot: (next) => void observeReloadLag({ prisma, snapshot: next, metrics }) });
    cleanups.push(() => watcher.stop());
    const spoolDir = path.join(options.dataDir, "spool");
    const authLog = await createAuthLogWriter({ databaseUrl: options.databaseUrl, spoolDir, workerId, log });
    cleanups.push(() => authLog.close());
    const accountingLog = await createAccountingLogWriter({ databaseUrl: options.databaseUrl, spoolDir, workerId, log });
    cleanups.push(() => accountingLog.close());
    const transport = timeUpstreamTransport({ transport: await createUpstreamTransport(), metrics });
    cleanups.push(() => transport.close());
    const cache = createRetransmitCache({ ttlMs: options.retransmitTtlMs ?? 30_000 });
    cleanups.push(() => cache.stop());
    const drops = createDropCounter({ log });
    // Only for drops, so the prefix match is not repeated on answered requests.
    const countClientDrop = (snapshot: ReturnType<typeof watcher.current>, address: string, reason: string) => {
      const client = longestPrefixMatch(snapshot.clients, address);
      if (client) clientDrops.count(client, reason);
    };
    const holdDown = createHoldDown({ holdMs: options.holdDownMs ?? 30_000 });
    const aclGrants = createAclGrantMemory();
    // Every hot-path read is bounded, so a reachable but stuck database ends a login with an error (the classifier in
    // lib/second-factor tells that from an outage) instead of holding the NAS's request open.
    // Idle connections are kept for minutes, and all of them are opened at start: a new connection costs PostgreSQL a
    // fork and a SCRAM exchange, and a burst (a rush, an ASA failover) that has to open them all at once on a busy
    // host waits out connectionTimeoutMillis and turns logins into errors.
    const pool = new pg.Pool(pgPoolConfig(options.databaseUrl, { max: pgMax, connectionTimeoutMillis: 3000, idleTimeoutMillis: 300_000, statement_timeout: 10_000, query_timeout: 12_000 }));
    // An outage ends every idle connection at once: one line for all of them, not one per connection.
    let poolErrorLoggedAt = 0;
    pool.on("error", (error) => {
      if (Date.now() - poolErrorLoggedAt < 10_000) return;
      poolErrorLoggedAt = Date.now();
      log(`database pool: ${error.message} (idle connections lost; more in the next 10 s not logged)`);
    });
    void Promise.allSettled(Array.from({ length: pgMax }, () => pool.connect())).then((results) => {
      for (const result of results) if (result.status === "fulfilled") result.value.release();
      const failed = results.find((result) => result.status === "rejected");
      if (failed) log(`database pool: warm-up: ${failed.reason instanceof Error ? failed.reason.message : String(failed.reason)}`);
    });
    cleanups.push(() => pool.end());
    // One LISTEN connection for every pending push of this worker.
    const push = await createPushRuntime({ databaseUrl: options.databaseUrl, log, fetchImpl: options.pushFetch });
    cleanups.push(() => push.stop());
    // Fail mode "safe" opens only when this fresh-connection probe cannot reach PostgreSQL either.
    const probe = createDatabaseProbe({ databaseUrl: options.databaseUrl });
    const readUser = createUserReader({ query: pgQuery(pool), cacheMs: options.userCacheMs });
    const deps: TFlowDeps = timeFlowDeps({ metrics, deps: {
      prisma,
      readUser,
      // Remembers which upstream granted a downloadable ACL, so the NAS's download goes back to it.
      primary: rememberAclGrants({ primary: createPrimaryDispatch({ prisma, transport, holdDown, ldap: options.ldap, local: options.local }), grants: aclGrants }),
      secondFactor: ({ request, policy, application, user }) =>
        runSecondFactor({ prisma, sql: pgQuery(pool), request, policy, application, user, readUser, push, probe, enrollmentBaseUrl: options.enrollmentBaseUrl }),
    } });

    const send = (socket: Socket, reply: Buffer, rinfo: RemoteInfo) => socket.send(reply, rinfo.port, rinfo.address);
    const auth = await bindUdp({ host, port: options.authPort, reusePort: options.reusePort });
    cleanups.push(() => closeUdp(auth.socket));
    let closing = false;
    let inFlight = 0;
    auth.socket.on("message", (message, rinfo) => {
      if (closing) return;
      counters.received += 1;
      inFlight += 1;
      const receivedAt = performance.now();
      // The snapshot is read once: a reload during this request does not change what it sees.
      const snapshot = watcher.current();
      void processAuthDatagram({ message, address: rinfo.address, port: rinfo.port, snapshot, cache, deps, aclDownload: { prisma, transport, holdDown, grants: aclGrants }, log })
        .then((outcome) => {
          switch (outcome.kind) {
            case "drop":
              countClientDrop(snapshot, rinfo.address, outcome.reason);
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
              // Journal before answering; an Accept the journal cannot take goes out as an error reject (see there).
              return journalThenAnswer({ outcome, journal: (event) => authLog.journal({ ...event, workerId }), record: (event) => authLog.record({ ...event, workerId }), log }).then((answer) => {
                outcome.complete(answer.reply);
                send(auth.socket, answer.reply, rinfo);
                if (answer.code === RadiusCode.AccessAccept) counters.accepted += 1;
                else if (answer.code === RadiusCode.AccessChallenge) counters.challenged += 1;
                else counters.rejected += 1;
                metrics.answered(answer.code, answer.event.result, answer.event.reason, receivedAt);
                logAnsweredRequest({ logger, address: rinfo.address, port: rinfo.port, code: answer.code, event: answer.event, startedAt: receivedAt });
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

    // Store-and-forward to the upstream accounting server, and the sessions CoA is routed by.
    const forwarder = await createAccountingForwarder({ dir: spoolDir, name: workerId, transport, snapshot: () => watcher.current(), log, maxRetryMs: options.accountingRetryMaxMs, adoptEveryMs: options.accountingAdoptEveryMs });
    cleanups.push(() => forwarder.stop());
    const sessions = createSessionRecorder({ prisma, log });
    cleanups.push(() => sessions.idle());
    const acct = await bindUdp({ host, port: options.acctPort, reusePort: options.reusePort });
    cleanups.push(() => closeUdp(acct.socket));
    acct.socket.on("message", (message, rinfo) => {
      if (closing) return;
      try {
        const snapshot = watcher.current();
        const outcome = processAccountingDatagram({ message, address: rinfo.address, port: rinfo.port, snapshot, cache });
        if (outcome.kind === "drop") {
          countClientDrop(snapshot, rinfo.address, outcome.reason);
          return drops.drop(outcome.reason, `${rinfo.address}:${rinfo.port}`, outcome.detail);
        }
        if (outcome.kind === "absorbed") return;
        if (outcome.kind !== "answered") return send(acct.socket, outcome.reply, rinfo);
        counters.accounting += 1;
        // RFC 2866 §2: no Accounting-Response before the record is stored — journaled (fdatasync) in Twofold's log and
        // queued durably for the upstream. A record the forward queue could not take goes unanswered: the NAS resends it.
        const forward = outcome.forward;
        void Promise.all([
          accountingLog.journal({ ...outcome.event, workerId }).catch((error: unknown) => log(`accounting log: ${String(error)}`)),
          forward ? forwarder.enqueue(forward) : undefined,
        ])
          .then(
            () => {
              outcome.complete();
              send(acct.socket, outcome.reply, rinfo);
              sessions.record(outcome.session);
            },
            (error: unknown) => {
              outcome.abandon();
              log(`accounting forward queue: ${String(error)} (not answered: the NAS sends it again)`);
            },
          )
          .catch((error: unknown) => log(`accounting reply: ${String(error)}`)); // the socket closed meanwhile (stop)
      } catch (error) {
        counters.errors += 1;
        log(`accounting datagram: ${String(error)}`);
      }
    });

    // To the NAS from TWOFOLD_RADIUS_HOST, the address its dynamic-authorization knows Twofold by: ISE's CoA relayed,
    // and the console's Disconnect, which this worker sends for it (the NAS would ignore the console's host).
    const coaTransport = await createCoaTransport({
      host,
      fallback: transport,
      open: async (bindAddress) => timeUpstreamTransport({ transport: await createUpstreamTransport({ bindAddress }), metrics }),
    });
    cleanups.push(() => coaTransport.close());
    const coaNasTimeoutMs = options.coaNasTimeoutMs ?? 1500;
    const disconnects = await startDisconnectSender({ databaseUrl: options.databaseUrl, prisma, transport: coaTransport, workerId, nasTimeoutMs: coaNasTimeoutMs, nasRetries: 2, pollMs: options.disconnectPollMs, log });
    cleanups.push(() => disconnects.stop());

    // RFC 5176 from the upstream (ISE/NPS) to the NAS holding the session, on each CoA port (worker/coa-server.ts).
    let coa: TCoaServer | undefined;
    if (options.coaPorts && options.coaPorts.length > 0) {
      const started = await startCoaServer({
        host,
        ports: options.coaPorts,
        reusePort: options.reusePort,
        snapshot: () => watcher.current(),
        cache,
        deps: { prisma, transport: coaTransport, grants: aclGrants, replays: createCoaReplayMemory(), nasTimeoutMs: coaNasTimeoutMs, nasRetries: 2 },
        // Best effort, as before: a CoA answer grants no access (the durable-or-refused journal is for Access-Accepts).
        journal: (event) => authLog.record({ ...event, workerId }),
        drops,
        log,
      });
      coa = started;
      cleanups.push(() => started.close());
    }

    // On stop: take no new requests, let those in flight answer and log (bounded), then close sockets and flush.
    cleanups.push(async () => {
      closing = true;
      const deadline = Date.now() + 5000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    });
    let api: TApiServer | undefined;
    let siem: ReturnType<typeof startWorkerSiem> | undefined;
    // configProblems and droppedByClient reach the console through the heartbeat (lib/workers/read-worker-health.ts).
    const configProblems = () => watcher.current().problems.slice(0, 50).map(({ table, rowId, field, message, skipped }) => ({ table, rowId, field, message, skipped }));
    const stats = () => ({ ...counters, dropped: drops.counts(), droppedByClient: clientDrops.snapshot(), configProblems: configProblems(), retransmitCache: cache.size(), authLog: authLog.stats(), accountingForward: forwarder.stats(), ...(coa ? { coa: coa.stats() } : {}), ...(api ? { api: api.stats() } : {}), ...(siem ? { siem: siem.stats() } : {}) });
    const authLag = trackBacklogAge({ pending: () => authLog.stats().queued });
    const accountingLag = trackBacklogAge({ pending: () => accountingLog.stats().queued });
    cleanups.push(() => authLag.stop(), () => accountingLag.stop());
    metrics.attach({
      counters: () => counters,
      drops: () => drops.counts(),
      clientDrops: () => clientDrops.snapshot(),
      snapshot: () => watcher.current(),
      upstreamDown: (serverId) => holdDown.isDown(serverId),
      pendingPushes: () => push.listener.waiting(),
      eventLogs: () => [
        { log: "auth", stats: authLog.stats(), lagSeconds: authLag.ageSeconds() },
        { log: "accounting", stats: accountingLog.stats(), lagSeconds: accountingLag.ageSeconds() },
      ],
      accountingForward: () => forwarder.stats(),
    });
    let healthPort: number | undefined;
    if (options.healthPort !== undefined) {
      const health = await startHealthServer({
        host: options.healthHost ?? "127.0.0.1",
        port: options.healthPort,
        body: () => ({ workerId, configVersion: watcher.current().version, uptimeSec: Math.round((Date.now() - startedAt) / 1000), counters: stats() }),
        // The health server starts after the first snapshot, so this worker is never "starting" here.
        ready: async () => decideReadiness({ configVersion: watcher.current().version, database: await probe() }),
        metrics: async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() }),
      });
      healthPort = health.port;
      cleanups.push(() => health.close());
    }
    // Duo's Auth API over HTTPS: the same second-factor pipeline (deps.secondFactor) and the same journaled auth log.
    if (options.api) {
      const apiDeps = { snapshot: () => watcher.current(), prisma, readUser, secondFactor: deps.secondFactor, journal: (event: Parameters<typeof authLog.journal>[0]) => authLog.journal({ ...event, workerId }), record: (event: Parameters<typeof authLog.record>[0]) => authLog.record({ ...event, workerId }), enrollmentBaseUrl: options.enrollmentBaseUrl };
      const started = await startApiServer({ ...options.api, dataDir: options.dataDir, prisma, log, deps: apiDeps, listener: push.listener });
      api = started;
      cleanups.push(() => started.close());
    }
    const heartbeat = startHeartbeat({ prisma, workerId, intervalMs: options.heartbeatMs ?? 5000, configVersion: () => watcher.current().version, stats, log, address: `${host}:${auth.port}`, listen: { authPort: auth.port, acctPort: acct.port, reachableAddresses: findReachableAddresses({ host, interfaces: networkInterfaces() }) } });
    cleanups.push(() => heartbeat.stop());
    cleanups.push(startRetentionTimer({ prisma, log }).stop); // TWOFOLD_RETENTION_DAYS; no timer when unset
    cleanups.push(startDirectorySyncTimer({ prisma, log }).stop); // LDAP servers with a sync interval (lib/directory-sync)
    if (options.siem) {
      const started = startWorkerSiem({ databaseUrl: options.databaseUrl, siem: options.siem, log });
      siem = started;
      cleanups.push(() => started.stop());
    }
    log(`${workerId} serving RADIUS on ${host}:${auth.port} (auth) and ${host}:${acct.port} (accounting), config version ${watcher.current().version}`);

    let stopping: Promise<void> | undefined;
    return {
      workerId,
      authPort: auth.port,
      acctPort: acct.port,
      coaPorts: coa?.ports ?? [],
      healthPort,
      api: api ? { port: api.port, caFile: api.caFile, tls: api.tls } : undefined,
      configVersion: () => watcher.current().version,
      stats,
      metrics: metrics.registry,
      // Sockets first (no new work), then flush the logs, then the database.
      stop: () => (stopping ??= cleanup()),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
};
