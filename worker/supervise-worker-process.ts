import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ZProcessMessageSchema, type TApiBinding, type TMetricJson, type TPrimaryMessage, type TProcessStats } from "./worker-pool-messages";

// The UDP ports a process bound: the first process's become everyone's (0 in the configuration = any free port).
export type TPorts = { authPort: number; acctPort: number; coaPorts?: number[]; api?: TApiBinding };

export type TProcessHealth = { index: number; workerId: string; serving: boolean; restarts: number } & Partial<TProcessStats>;

export type TSupervisedProcess = {
  // Forks the process and resolves with the ports it bound, or rejects with why it could not start.
  start: (ports: TPorts) => Promise<TPorts>;
  health: (timeoutMs: number) => Promise<TProcessHealth>;
  metrics: (timeoutMs: number) => Promise<TMetricJson[] | undefined>; // undefined: not serving or no answer in time
  stop: () => Promise<void>;
};

// Beside this module: worker/worker-process.ts from source (under tsx), dist/worker/worker-process.js from the bundle
// (scripts/build-worker.mjs), where this code sits in a chunk of the same folder.
const ENTRY = path.join(import.meta.dirname, import.meta.url.endsWith(".ts") ? "worker-process.ts" : "worker-process.js");
const MAX_BACKOFF_MS = 30_000;

// V8's defaults size a worker process's heap for throughput, not for a box that runs one process per core (README
// "Benchmarks", bench:mixed): Node 24 lets the young generation grow to 64 MB per semi-space (128 MB committed in every
// process under the rush), and lets the old generation reach up to 4× what survived the last full collection before
// the next one (230 MB used, most of it garbage, with 5,000 pushes held). 16 MB semi-spaces (the default of earlier
// Node releases) and a next collection at 1.5× keep each process near 250 MB; the CPU per login measured the same
// within the noise of a shared machine. Either flag set explicitly (NODE_OPTIONS or the command line) wins.
const HEAP_FLAGS = ["--max-semi-space-size=16", "--heap-growing-percent=50"];
export const workerExecArgv = (execArgv: string[], nodeOptions = process.env.NODE_OPTIONS ?? ""): string[] => {
  const given = [...execArgv, nodeOptions].join(" ").replace(/_/g, "-");
  return [...execArgv, ...HEAP_FLAGS.filter((flag) => !given.includes(flag.split("=")[0]!))];
};

// One worker process of a multi-process host, kept running: after it has served, an unexpected exit is logged and the
// process started again under the same worker id (its auth-log spool is its own, so the new one replays what the old
// one journaled) on the same ports, with a backoff that grows while restarts keep failing.
export const superviseWorkerProcess = (options: { index: number; workerId: string; databasePoolMax: number; log: (line: string) => void }): TSupervisedProcess => {
  const { index, workerId, log } = options;
  let child: ChildProcess | undefined;
  let serving = false;
  let stopping = false;
  let restarts = 0;
  let backoffMs = 1000;
  let restartTimer: NodeJS.Timeout | undefined;
  let ports: TPorts | undefined;
  let nextRequest = 0;
  const waiting = new Map<number, (stats: TProcessStats) => void>();
  const waitingMetrics = new Map<number, (metrics: TMetricJson[]) => void>();
  // One question to the process over IPC, its answer matched by request id; undefined when it does not come in time
  // (or the channel refused the question): a process that does not answer is reported, never waited on.
  const ask = <T>(question: { current: ChildProcess; type: "stats" | "metrics"; waiting: Map<number, (answer: T) => void>; timeoutMs: number }) => {
    const requestId = nextRequest++;
    return new Promise<T | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), question.timeoutMs);
      question.waiting.set(requestId, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      question.current.send({ type: question.type, requestId } satisfies TPrimaryMessage, (error) => error && resolve(undefined));
    }).finally(() => question.waiting.delete(requestId));
  };

  const spawnOnce = (wanted: TPorts) =>
    new Promise<TPorts>((resolve, reject) => {
      // Same Node and loader flags as this process (tsx from source, none for the bundle), same environment: the child
      // reads DATABASE_URL etc. itself.
      const forked = fork(ENTRY, [], { stdio: "inherit", execArgv: workerExecArgv(process.execArgv) });
      child = forked;
      let failure: string | undefined;
      let ready = false;
      forked.on("message", (raw: unknown) => {
        const parsed = ZProcessMessageSchema.safeParse(raw);
        if (!parsed.success) return;
        const message = parsed.data;
        if (message.type === "ready") {
          ready = true;
          serving = true;
          resolve({ authPort: message.authPort, acctPort: message.acctPort, coaPorts: message.coaPorts, api: message.api });
        } else if (message.type === "failed") failure = message.message;
        else if (message.type === "metrics") waitingMetrics.get(message.requestId)?.(message.metrics);
        else waiting.get(message.requestId)?.(message.stats);
      });
      // "close", not "exit": it comes after the IPC channel has delivered everything, the "failed" reason included.
      forked.once("close", (code, signal) => {
        serving = false;
        if (child === forked) child = undefined;
        const how = signal ?? `code ${code}`;
        if (!ready) return reject(new Error(failure ?? `worker process #${index} exited (${how}) before serving`));
        if (!stopping) restartLater(`worker process #${index} (${workerId}, pid ${forked.pid}) exited (${how})`);
      });
      const start: TPrimaryMessage = { type: "start", index, workerId, authPort: wanted.authPort, acctPort: wanted.acctPort, coaPorts: wanted.coaPorts, databasePoolMax: options.databasePoolMax, api: wanted.api };
      forked.send(start);
    });

  const restartLater = (why: string) => {
    log(`${why}; starting it again in ${backoffMs / 1000} s`);
    restartTimer = setTimeout(() => {
      if (stopping || !ports) return;
      restarts += 1;
      spawnOnce(ports).then(
        () => {
          const restarted = child;
          log(`worker process #${index} serving again (restart ${restarts})`);
          // Back to a short wait only once a restart has held for a minute.
          setTimeout(() => {
            if (child === restarted && serving) backoffMs = 1000;
          }, 60_000).unref();
        },
        (error: unknown) => {
          if (stopping) return;
          backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
          restartLater(`worker process #${index} did not start: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    }, backoffMs);
  };

  return {
    start: async (wanted) => {
      ports = await spawnOnce(wanted);
      return ports;
    },
    health: async (timeoutMs) => {
      const base = { index, workerId, serving, restarts };
      const current = child;
      if (!serving || !current?.connected) return base;
      const stats = await ask({ current, type: "stats", waiting, timeoutMs });
      return stats ? { ...base, ...stats } : { ...base, serving: false };
    },
    metrics: async (timeoutMs) => {
      const current = child;
      if (!serving || !current?.connected) return undefined;
      return ask({ current, type: "metrics", waiting: waitingMetrics, timeoutMs });
    },
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((resolve) => current.once("close", resolve));
      current.kill("SIGTERM");
      // The process flushes its auth log on SIGTERM (bounded); a hung one must not hold the host's stop forever.
      const killer = setTimeout(() => current.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
};
