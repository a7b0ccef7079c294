// `npx tsx bench/accounting-forward.ts`: what accounting costs now that it is store-and-forward. Closed-loop
// Accounting-Requests (unique records) to (1) FreeRADIUS answering from its own log, for scale, and (2) Twofold, which
// journals each record, appends it to the forward queue (both fdatasynced, grouped) and forwards it to a FreeRADIUS
// upstream. Prints records/s, p50/p99, Twofold's ratio, and how long the queue took to drain behind the load.
// BENCH_NO_FORWARD=1: the upstream has no accounting port (journal only), to price the queue.
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { encodeRequest } from "../lib/radius/encode-packet";
import { encryptSecret } from "../lib/secrets/envelope";
import { startFreeRadius } from "../lib/testing/freeradius";
import { startTestDatabase } from "../lib/testing/test-database";
import { spawnBenchWorker } from "./spawn-worker";

const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? "1,32").split(",").map(Number);
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const NAS_SECRET = "bench-nas-secret";
const UPSTREAM_SECRET = "bench-upstream-secret";
let sequence = 0;

const record = (secret: Buffer, identifier: number) =>
  encodeRequest({
    code: RadiusCode.AccountingRequest,
    identifier,
    authenticator: Buffer.alloc(16),
    attributes: [
      { type: Attr.UserName, value: Buffer.from("alice") },
      { type: Attr.AcctStatusType, value: Buffer.from([0, 0, 0, 3]) },
      { type: Attr.AcctSessionId, value: Buffer.from(`bench-${randomBytes(4).toString("hex")}-${(sequence += 1)}`) },
      { type: Attr.NasIpAddress, value: Buffer.from([127, 0, 0, 1]) },
    ],
    secret,
  }).packet;

// `concurrency` sockets, one record outstanding on each.
const runLoad = async (port: number, concurrency: number, durationMs: number) => {
  const secret = Buffer.from(NAS_SECRET);
  const latencies: number[] = [];
  const deadline = Date.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const socket = createSocket("udp4");
      await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
      for (let id = 0; Date.now() < deadline; id = (id + 1) % 256) {
        const packet = record(secret, id);
        const sent = performance.now();
        const answered = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 2000);
          socket.once("message", () => (clearTimeout(timer), resolve(true)));
          socket.send(packet, port, "127.0.0.1");
        });
        if (answered) latencies.push(performance.now() - sent);
      }
      socket.close();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { concurrency, rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), answered: latencies.length };
};

const main = async () => {
  const database = await startTestDatabase();
  process.env.TWOFOLD_SECRET_KEY = database.secretKey;
  const upstream = await startFreeRadius({ secret: UPSTREAM_SECRET });
  const baseline = await startFreeRadius({ secret: NAS_SECRET, countRequests: true });
  const prisma = createConfigPrisma({ databaseUrl: database.url });
  const application = await prisma.application.create({ data: { name: "bench", ikey: "BENCHBENCHBENCHBENCH", skey: encryptSecret("x".repeat(40)), primaryAuthMode: "radius" } });
  await prisma.primaryAuthServer.create({
    data: { name: "upstream", kind: "radius", applicationId: application.id, host: "127.0.0.1", port: upstream.authPort, accountingPort: process.env.BENCH_NO_FORWARD ? null : upstream.acctPort, secret: encryptSecret(UPSTREAM_SECRET), timeoutMs: 2000, retries: 0 },
  });
  await prisma.radiusClient.create({ data: { name: "bench-nas", address: "127.0.0.1", secret: encryptSecret(NAS_SECRET), applicationId: application.id } });
  await prisma.$disconnect();

  const worker = await spawnBenchWorker({ databaseUrl: database.url, secretKey: database.secretKey, env: { TWOFOLD_WORKER_PROCESSES: "1" } });
  const { acctPort, dataDir } = worker;
  const upstreamLog = path.join(upstream.dir, "log", "acct-requests.log");
  const upstreamLines = () => (existsSync(upstreamLog) ? readFileSync(upstreamLog, "utf8").split("\n").filter(Boolean).length : 0);
  try {
    await runLoad(baseline.acctPort, 4, 1000); // warm-up
    await runLoad(acctPort, 4, 1000);
    console.log(`${DURATION_MS / 1000}s per step, data dir ${dataDir}`);
    console.log("concurrency  FreeRADIUS rec/s  Twofold rec/s  ratio  Twofold p50/p99 ms  FreeRADIUS p50/p99 ms  queue drained after");
    for (const concurrency of CONCURRENCY) {
      const base = await runLoad(baseline.acctPort, concurrency, DURATION_MS);
      const before = upstreamLines();
      const ours = await runLoad(acctPort, concurrency, DURATION_MS);
      const stopped = performance.now();
      while (!process.env.BENCH_NO_FORWARD && upstreamLines() < before + ours.answered) await new Promise((resolve) => setTimeout(resolve, 20));
      const drainMs = performance.now() - stopped;
      console.log(
        `${String(concurrency).padStart(11)}  ${base.rps.toFixed(0).padStart(16)}  ${ours.rps.toFixed(0).padStart(13)}  ${(ours.rps / base.rps).toFixed(2).padStart(5)}  ` +
          `${ours.p50.toFixed(2)}/${ours.p99.toFixed(2)}`.padStart(18) + `${base.p50.toFixed(2)}/${base.p99.toFixed(2)}`.padStart(23) + `${drainMs.toFixed(0)} ms`.padStart(21),
      );
    }
  } finally {
    await worker.stop();
    await baseline.stop();
    await upstream.stop();
    await database.stop();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
