// `npx tsx bench/push-pending.ts`: 5,000 pending pushes held by one process with the worker's own machinery (one
// shared LISTEN connection, a Map of waiters, waitForPushDecision per push), then signed approvals while they are
// held. Reports memory, event-loop delay (perf_hooks.monitorEventLoopDelay) and approval → decision-delivered latency
// (decidePush called → the waiting request has its answer, i.e. the moment the worker would send Access-Accept).
import { randomBytes, randomUUID } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import { decidePush } from "../lib/push/decide-push";
import { createPushListener } from "../lib/push/push-listener";
import { registerPushDevice } from "../lib/push/register-push-device";
import { createTestDevice } from "../lib/push/test-device";
import { waitForPushDecision } from "../lib/push/wait-for-push-decision";
import { startTestDatabase } from "../lib/testing/test-database";

const PENDING = Number(process.env.BENCH_PENDING ?? 5000);
const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 200);
const HOLD_MS = Number(process.env.BENCH_HOLD_MS ?? 5000);

// monitorEventLoopDelay's samples include its own timer resolution: report only the delay beyond it.
const RESOLUTION_MS = 10;
const lag = (h: ReturnType<typeof monitorEventLoopDelay>, p: number) => Math.max(0, h.percentile(p) / 1e6 - RESOLUTION_MS).toFixed(2);
const lagMax = (h: ReturnType<typeof monitorEventLoopDelay>) => Math.max(0, h.max / 1e6 - RESOLUTION_MS).toFixed(2);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

const main = async () => {
  const database = await startTestDatabase();
  process.env.TWOFOLD_SECRET_KEY = database.secretKey;
  const prisma = createConfigPrisma({ databaseUrl: database.url, max: 8 });
  const listener = await createPushListener({ databaseUrl: database.url });
  try {
    const users = Array.from({ length: PENDING }, () => ({ id: randomUUID(), username: `bench-${randomBytes(6).toString("hex")}` }));
    for (let i = 0; i < users.length; i += 1000) await prisma.user.createMany({ data: users.slice(i, i + 1000) });
    const expiresAt = new Date(Date.now() + 10 * 60_000);
    const requests = users.map((user) => ({ id: randomUUID(), userId: user.id, dedupeKey: `${user.id}|bench`, expiresAt }));
    for (let i = 0; i < requests.length; i += 1000) await prisma.pushRequest.createMany({ data: requests.slice(i, i + 1000) });
    const device = await createTestDevice();
    const approvers = await Promise.all(requests.slice(0, APPROVALS).map(async (request) => ({ request, ...(await registerPushDevice({ prisma, userId: request.userId, name: "bench", publicKeyJwk: device.publicKeyJwk })) })));

    global.gc?.();
    const before = process.memoryUsage();
    const settled = new Map<string, number>();
    let waiting = 0;
    const waits = requests.map((request) =>
      waitForPushDecision({ prisma, listener, requestId: request.id, expiresAt: request.expiresAt, onWaiting: () => (waiting += 1) }).then((status) => {
        settled.set(request.id, performance.now());
        return status;
      }),
    );
    const registeredBy = Date.now() + 120_000;
    // Every push read once and now only waiting: the hold is what is measured, not the burst that set it up.
    const setupStarted = performance.now();
    while (waiting < PENDING && Date.now() < registeredBy) await new Promise((resolve) => setTimeout(resolve, 50));
    console.log(`set up ${waiting} waits (one row read each) in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);
    global.gc?.();
    const held = process.memoryUsage();
    console.log(`pending held: ${listener.waiting()} waiters on 1 LISTEN connection`);
    console.log(`memory: heapUsed +${mb(held.heapUsed - before.heapUsed)} (${((held.heapUsed - before.heapUsed) / PENDING / 1024).toFixed(2)} KB per pending push), rss ${mb(before.rss)} → ${mb(held.rss)}`);

    const idle = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    idle.disable();
    console.log(`event-loop delay while holding ${PENDING} (idle ${HOLD_MS} ms): p50 ${lag(idle, 50)} ms  p99 ${lag(idle, 99)} ms  max ${lagMax(idle)} ms`);

    const busy = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    busy.enable();
    const latencies: number[] = [];
    for (const { request, deviceId } of approvers) {
      const signature = await device.signDecision({ requestId: request.id, decision: "approve" });
      const started = performance.now();
      const result = await decidePush({ prisma, requestId: request.id, deviceId, decision: "approve", signature, now: new Date() });
      if (!result.ok) throw new Error(`approval failed: ${result.reason}`);
      const waiter = waits[requests.indexOf(request)];
      if ((await waiter) !== "approved") throw new Error("waiter did not see the approval");
      latencies.push((settled.get(request.id) ?? NaN) - started);
    }
    busy.disable();
    console.log(`approval → answer (${APPROVALS} sequential, ${PENDING - APPROVALS} still pending): p50 ${pct(latencies, 50).toFixed(2)} ms  p99 ${pct(latencies, 99).toFixed(2)} ms  max ${Math.max(...latencies).toFixed(2)} ms`);
    console.log(`event-loop delay during approvals: p50 ${lag(busy, 50)} ms  p99 ${lag(busy, 99)} ms  max ${lagMax(busy)} ms`);
    console.log(`still pending: ${listener.waiting()}`);
  } finally {
    await listener.stop();
    await prisma.$disconnect();
    await database.stop();
  }
  process.exit(0);
};

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
