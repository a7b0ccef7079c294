import { createDatabaseProbe } from "../lib/second-factor/create-database-probe";
import { decideReadiness } from "../lib/workers/decide-readiness";
import { startHealthServer } from "./health-server";
import { createPoolMetrics } from "./pool-metrics";
import { splitDatabasePools } from "./split-database-pools";
import { sumWorkerStats } from "./sum-worker-stats";
import { superviseWorkerProcess } from "./supervise-worker-process";

export type TWorkerPool = { workerId: string; authPort: number; acctPort: number; healthPort?: number; stop: () => Promise<void> };

// Connections one host's worker processes may hold in their two hot pools together (config/Prisma + pg), so that
// adding cores does not multiply what PostgreSQL must accept: 2 processes keep today's 8 + 8 each.
const HOST_POOL_BUDGET = 32;
export const poolMaxPerProcess = (processes: number): number => Math.min(8, Math.max(2, Math.floor(HOST_POOL_BUDGET / (2 * processes))));

// Every core of one host: `processes` full workers on the same UDP ports (SO_REUSEPORT: the kernel keeps each NAS
// source address and port on one process, so its retransmits meet the cache that saw the original). This process only
// supervises them and answers /health with their counters added up.
export const startWorkerPool = async (options: {
  processes: number;
  workerId: string; // each process is `${workerId}#${index}`, the same after a restart
  host: string;
  authPort: number;
  acctPort: number;
  healthPort?: number;
  healthHost?: string;
  databaseUrl?: string; // for /readyz: whether PostgreSQL can be reached (unset: reported unreachable)
  log: (line: string) => void;
}): Promise<TWorkerPool> => {
  const { log } = options;
  const startedAt = Date.now();
  const databasePoolMax = poolMaxPerProcess(options.processes);
  const pools = splitDatabasePools(databasePoolMax);
  const members = Array.from({ length: options.processes }, (_, index) =>
    superviseWorkerProcess({ index, workerId: `${options.workerId}#${index}`, databasePoolMax, log }),
  );
  const body = async () => {
    const processes = await Promise.all(members.map((member) => member.health(1000)));
    const serving = processes.filter((entry) => entry.serving);
    return {
      workerId: options.workerId,
      // The version every serving process has reached; each one's own is in `processes`.
      configVersion: serving.length > 0 ? Math.min(...serving.map((entry) => entry.configVersion ?? 0)) : 0,
      uptimeSec: Math.round((Date.now() - startedAt) / 1000),
      serving: serving.length,
      counters: sumWorkerStats(serving.flatMap((entry) => (entry.counters ? [entry.counters] : []))),
      processes,
    };
  };
  const probe = options.databaseUrl ? createDatabaseProbe({ databaseUrl: options.databaseUrl }) : async () => "unreachable" as const;
  // Not ready (503) until a process serves: before that no snapshot is loaded anywhere on this host.
  const ready = async () => {
    const [processes, database] = await Promise.all([Promise.all(members.map((member) => member.health(1000))), probe()]);
    const versions = processes.flatMap((entry) => (entry.serving && entry.configVersion !== undefined ? [entry.configVersion] : []));
    return decideReadiness({ configVersion: versions.length > 0 ? Math.min(...versions) : undefined, database });
  };
  // Health first: its port also keeps a second copy of this worker from silently joining the RADIUS and API ports
  // (SO_REUSEPORT would let it).
  const health = options.healthPort === undefined ? undefined : await startHealthServer({ host: options.healthHost, port: options.healthPort, body, ready, metrics: createPoolMetrics({ members }) });
  const stop = async () => {
    await Promise.all(members.map((member) => member.stop()));
    await health?.close();
  };
  try {
    // The first process binds the configured ports (0: any free one) and makes the API certificate; the others join
    // the ports it got and serve its certificate.
    const [first, ...rest] = members;
    if (!first) throw new Error("no worker processes to start");
    const ports = await first.start({ authPort: options.authPort, acctPort: options.acctPort });
    await Promise.all(rest.map((member) => member.start(ports)));
    log(
      `${options.processes} processes (${options.workerId}#0…#${options.processes - 1}) serving RADIUS on ${options.host}:${ports.authPort} (auth) and ` +
        `${options.host}:${ports.acctPort} (accounting), Duo-compatible API ${ports.api ? `on port ${ports.api.port} in every process` : "off"}, health on ${health ? `${health.host}:${health.port}` : "none"}, ${pools.prismaMax}+${pools.pgMax} database connections each (Prisma+pg)`,
    );
    return { workerId: options.workerId, ...ports, healthPort: health?.port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
