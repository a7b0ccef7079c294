// `node --expose-gc --import tsx bench/push-radius.ts`: the benchmark through a real worker. BENCH_PENDING
// (default 5,000) Access-Requests each start a push that nobody answers, so the worker holds them all pending; then
// BENCH_APPROVALS logins are approved one by one with a signed decision and timed from decidePush to the
// Access-Accept datagram arriving at the NAS socket. Reports the worker process's memory and event-loop delay.
import { randomBytes, randomUUID } from "node:crypto";
import { createSocket } from "node:dgram";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import { decidePush } from "../lib/push/decide-push";
import { createTestDevice } from "../lib/push/test-device";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { encodeRequest } from "../lib/radius/encode-packet";
import { encryptSecret } from "../lib/secrets/envelope";
import { startTestDatabase } from "../lib/testing/test-database";
import { startWorker } from "../worker/start-worker";

const PENDING = Number(process.env.BENCH_PENDING ?? 5000);
const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 100);
const IN_FLIGHT = 100; // how many pushes are being set up at once (not how many are held)
const SECRET = Buffer.from("bench-push-secret");
const RESOLUTION_MS = 10;

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
const lag = (h: ReturnType<typeof monitorEventLoopDelay>, p: number) => Math.max(0, h.percentile(p) / 1e6 - RESOLUTION_MS).toFixed(2);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const main = async () => {
  const database = await startTestDatabase();
  process.env.TWOFOLD_SECRET_KEY = database.secretKey;
  const prisma = createConfigPrisma({ databaseUrl: database.url, max: 8 });
  // Primary mode "none" and append entry with nothing appended: like Duo's "auto", a push to the first device.
  const application = await prisma.application.create({
    data: { name: "bench-vpn", ikey: "BENCHPUSHBENCHPUSH00", skey: encryptSecret("x".repeat(40)), primaryAuthMode: "none", factorEntry: "append" },
  });
  await prisma.policy.create({ data: { applicationId: application.id, pushTimeoutSec: 600 } });
  await prisma.radiusClient.create({ data: { name: "bench-nas", address: "127.0.0.1", secret: encryptSecret(SECRET.toString()), applicationId: application.id } });
  const device = await createTestDevice();
  const total = PENDING + APPROVALS;
  const users = Array.from({ length: total }, (_, i) => ({ id: randomUUID(), username: `u${i}` }));
  for (let i = 0; i < total; i += 1000) {
    await prisma.user.createMany({ data: users.slice(i, i + 1000) });
    await prisma.authenticator.createMany({
      data: users.slice(i, i + 1000).map((user) => ({ id: randomUUID(), userId: user.id, kind: "push_device" as const, name: "Phone", publicKey: JSON.stringify(device.publicKeyJwk), active: true })),
    });
  }
  const devices = new Map((await prisma.authenticator.findMany({ select: { id: true, userId: true } })).map((row) => [row.userId, row.id]));
  const worker = await startWorker({ databaseUrl: database.url, host: "127.0.0.1", authPort: 0, acctPort: 0, dataDir: mkdtempSync(path.join(tmpdir(), "bench-push-")), log: () => undefined });

  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  // A reply's authenticator is not the request's: match on the identifier (only one timed login is in flight).
  const replies = new Map<string, (code: number) => void>();
  socket.on("message", (message) => replies.get(`${message[1]}|`)?.(message[0] ?? 0));
  let identifier = 0;
  const send = (username: string): { answered: Promise<number> } => {
    identifier = (identifier + 1) % 256;
    const id = identifier;
    const authenticator = randomBytes(16);
    const { packet } = encodeRequest({ code: RadiusCode.AccessRequest, identifier: id, authenticator, attributes: [{ type: Attr.UserName, value: Buffer.from(username) }, { type: Attr.CallingStationId, value: Buffer.from("198.51.100.1") }], secret: SECRET });
    const answered = new Promise<number>((resolve) => replies.set(`${id}|`, resolve));
    socket.send(packet, worker.authPort, "127.0.0.1");
    return { answered };
  };

  global.gc?.();
  const baseline = process.memoryUsage();
  const pendingCount = () => prisma.pushRequest.count({ where: { status: "pending" } });
  const started = performance.now();
  for (let i = 0; i < PENDING; i += IN_FLIGHT) {
    for (const user of users.slice(i, Math.min(PENDING, i + IN_FLIGHT))) send(user.username);
    const target = Math.min(PENDING, i + IN_FLIGHT);
    while ((await pendingCount()) < target) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  console.log(`worker holds ${await pendingCount()} pending pushes (set up in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  global.gc?.();
  const memory = process.memoryUsage();
  const perPush = ((memory.heapUsed - baseline.heapUsed) / PENDING / 1024).toFixed(2);
  console.log(`process memory (worker + bench driver): heapUsed ${mb(baseline.heapUsed)} → ${mb(memory.heapUsed)} (${perPush} KB per pending push), rss ${mb(baseline.rss)} → ${mb(memory.rss)}`);

  const idle = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 5000));
  idle.disable();
  console.log(`event-loop delay, 5 s holding ${PENDING}: p50 ${lag(idle, 50)} ms  p99 ${lag(idle, 99)} ms  max ${Math.max(0, idle.max / 1e6 - RESOLUTION_MS).toFixed(2)} ms`);

  const latencies: number[] = [];
  const codes: Record<number, number> = {};
  for (const user of users.slice(PENDING)) {
    replies.clear();
    const { answered } = send(user.username);
    let request;
    while (!(request = await prisma.pushRequest.findFirst({ where: { userId: user.id, status: "pending" }, select: { id: true } }))) await new Promise((resolve) => setTimeout(resolve, 5));
    const signature = await device.signDecision({ requestId: request.id, decision: "approve" });
    const t0 = performance.now();
    const result = await decidePush({ prisma, requestId: request.id, deviceId: devices.get(user.id) ?? "", decision: "approve", signature, now: new Date() });
    if (!result.ok) throw new Error(result.reason);
    const code = await answered;
    latencies.push(performance.now() - t0);
    codes[code] = (codes[code] ?? 0) + 1;
  }
  console.log(`approval → Access-Accept at the NAS (${APPROVALS} sequential, ${PENDING} held): p50 ${pct(latencies, 50).toFixed(2)} ms  p99 ${pct(latencies, 99).toFixed(2)} ms  max ${Math.max(...latencies).toFixed(2)} ms  codes ${JSON.stringify(codes)}`);
  socket.close();
  process.exit(0);
};

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
