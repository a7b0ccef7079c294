import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfigPrisma } from "../config/create-config-prisma";
import type { TPrisma } from "../db";
import { POLICY_DEFAULTS } from "../policy/policy-schemas";
import { startRestartableTestDatabase, type TRestartableTestDatabase } from "../testing/test-database";
import { waitFor } from "../../worker/test-support/wait-for";
import { createOrAttachPushRequest } from "./create-or-attach-push-request";
import { decidePush } from "./decide-push";
import { createPushListener, type TPushListener } from "./push-listener";
import { reconnectDelayMs } from "./reconnect-delay";
import { registerPushDevice } from "./register-push-device";
import { createTestDevice } from "./test-device";
import { waitForPushDecision } from "./wait-for-push-decision";

describe("reconnect delay", () => {
  it("grows exponentially to the cap and never drops below half the step", () => {
    expect(reconnectDelayMs({ failures: 0, random: () => 0 })).toBe(125);
    expect(reconnectDelayMs({ failures: 0, random: () => 1 })).toBe(250);
    expect(reconnectDelayMs({ failures: 3, random: () => 1 })).toBe(2000);
    expect(reconnectDelayMs({ failures: 50, random: () => 1 })).toBe(30_000);
    expect(reconnectDelayMs({ failures: 50, random: () => 0 })).toBe(15_000);
  });
});

// Its own PostgreSQL server, because this test stops it.
let database: TRestartableTestDatabase;
let prisma: TPrisma;
let listener: TPushListener;
const logs: string[] = [];

beforeAll(async () => {
  database = await startRestartableTestDatabase();
  process.env.TWOFOLD_SECRET_KEY ??= database.secretKey;
  prisma = createConfigPrisma({ databaseUrl: database.url });
  listener = await createPushListener({ databaseUrl: database.url, log: (line) => logs.push(line) });
}, 120_000);

afterAll(async () => {
  await listener?.stop();
  await prisma?.$disconnect();
  await database?.stop();
});

describe("push listener across a database outage", () => {
  it("backs off while the database is down (a handful of attempts, one log line), then reconnects and pushes work again", { timeout: 180_000 }, async () => {
    await prisma.$disconnect();
    await database.pause();
    const lostLine = await waitFor(() => logs.find((line) => /connection lost/.test(line)), { timeoutMs: 20_000 });
    expect(lostLine, logs.join("\n")).toBeDefined();
    // Eight seconds down: 250 ms doubling is at most 6 attempts in that time. The old loop doubled its retry chains
    // every second (hundreds of attempts and log lines by now). A count bound, not a time assertion.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const down = listener.stats();
    expect(down.state).toBe("reconnecting");
    expect(down.reconnectAttempts).toBeGreaterThan(0);
    expect(down.reconnectAttempts).toBeLessThanOrEqual(10);
    expect(logs.length, logs.join("\n")).toBe(1);

    await database.resume();
    const back = await waitFor(() => (listener.stats().state === "connected" ? listener.stats() : undefined), { timeoutMs: 90_000, intervalMs: 200 });
    expect(back?.reconnects).toBe(1);
    expect(logs.filter((line) => /reconnected/.test(line))).toHaveLength(1);
    expect(logs).toHaveLength(2);

    // A push decided after the outage wakes its waiter through the new connection.
    const user = await prisma.user.create({ data: { username: `listener-${randomUUID()}` }, select: { id: true } });
    const device = await createTestDevice();
    const { deviceId } = await registerPushDevice({ prisma, userId: user.id, name: "Phone", publicKeyJwk: device.publicKeyJwk });
    const created = await createOrAttachPushRequest({ prisma, login: { userId: user.id, applicationId: randomUUID() }, policy: { ...POLICY_DEFAULTS, pushTimeoutSec: 60 }, now: new Date() });
    if (created.kind !== "created") throw new Error(`unexpected ${created.kind}`);
    const { id: requestId, expiresAt } = created.request;
    let waiting = false;
    const decided = waitForPushDecision({ prisma, listener, requestId, expiresAt, onWaiting: () => (waiting = true) });
    await waitFor(() => (waiting ? true : undefined), { timeoutMs: 10_000 });
    const signature = await device.signDecision({ requestId, decision: "approve" });
    expect(await decidePush({ prisma, requestId, deviceId, decision: "approve", signature, now: new Date() })).toEqual({ ok: true, status: "approved" });
    expect(await decided).toBe("approved");
  });
});
