import { readServerEnv } from "../lib/env/server-env";
import { createLogger } from "../lib/log/create-logger";
import { lineLog } from "../lib/log/line-log";
import { ZWorkerStatsSchema } from "../lib/workers/record-heartbeat";
import { startWorker, type TWorker } from "./start-worker";
import { workerOptionsFromEnv } from "./worker-options";
import { ZMetricJsonSchema, ZPrimaryMessageSchema, type TProcessMessage } from "./worker-pool-messages";

// One of the processes worker/main.ts forks when a host runs several (TWOFOLD_WORKER_PROCESSES > 1): a full worker —
// its own snapshot, database pools, retransmit cache and auth-log spool — on the ports it shares with the others
// (SO_REUSEPORT). The primary serves /health and asks each process for its counters over IPC.
let log = lineLog(createLogger({ name: "worker" }));
let worker: TWorker | undefined;
let startedAt = Date.now();
let stopRequested: string | undefined;
let startRequested = false;

const send = (message: TProcessMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send?.(message, undefined, {}, () => resolve());
  });

const shutdown = (why: string) => {
  if (stopRequested) return;
  stopRequested = why;
  if (!worker) return; // a stop during start is honoured once start finishes
  log(`${why}: closing sockets, flushing the auth log`);
  worker.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      log(`stop failed: ${String(error)}`);
      process.exit(1);
    },
  );
};

process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
// The primary is gone (killed, crashed): a worker nobody supervises or reports on must not go on alone.
process.on("disconnect", () => shutdown("primary process gone"));

process.on("message", (raw: unknown) => {
  const parsed = ZPrimaryMessageSchema.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.type === "metrics") {
    if (!worker) return;
    // A scrape that fails here is the primary's timeout (that process left out of it), never this process's crash.
    void worker.metrics
      .getMetricsAsJSON()
      .then((metrics) => send({ type: "metrics", requestId: message.requestId, metrics: ZMetricJsonSchema.array().parse(JSON.parse(JSON.stringify(metrics))) }))
      .catch((error: unknown) => log(`metrics: ${error instanceof Error ? error.message : String(error)}`));
    return;
  }
  if (message.type === "stats") {
    if (!worker) return;
    void send({
      type: "stats",
      requestId: message.requestId,
      stats: { workerId: worker.workerId, pid: process.pid, configVersion: worker.configVersion(), uptimeSec: Math.round((Date.now() - startedAt) / 1000), counters: ZWorkerStatsSchema.parse(JSON.parse(JSON.stringify(worker.stats()))) },
    });
    return;
  }
  if (startRequested || stopRequested) return;
  startRequested = true;
  log = lineLog(createLogger({ name: "worker", base: { workerId: message.workerId, process: message.index } }));
  startedAt = Date.now();
  const begin = async () => {
    const base = workerOptionsFromEnv({ env: readServerEnv(), log });
    worker = await startWorker({
      ...base,
      workerId: message.workerId,
      authPort: message.authPort,
      acctPort: message.acctPort,
      coaPorts: message.coaPorts ?? base.coaPorts,
      databasePoolMax: message.databasePoolMax,
      reusePort: true,
      healthPort: undefined, // the primary answers /health for all
      // The HTTPS API in every process, on one port (SO_REUSEPORT): async txids live in PostgreSQL, so a status poll
      // may land on any of them. The first process loads or generates the certificate; the others get it from it.
      api: base.api ? { ...base.api, port: message.api?.port ?? base.api.port, tls: message.api?.tls, reusePort: true } : undefined,
    });
    const api = worker.api ? { port: worker.api.port, tls: worker.api.tls } : undefined;
    await send({ type: "ready", authPort: worker.authPort, acctPort: worker.acctPort, coaPorts: worker.coaPorts, api });
  };
  begin().then(
    () => {
      if (!stopRequested) return;
      const why = stopRequested;
      stopRequested = undefined;
      shutdown(why);
    },
    async (error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      log(`failed to start: ${text}`);
      await send({ type: "failed", message: text });
      process.exit(1);
    },
  );
});
