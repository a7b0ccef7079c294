import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import type { TActor } from "../auth/types";
import { RadiusCode } from "../radius/constants";
import { createUpstreamTransport, type TUpstreamTransport } from "../radius/upstream/create-upstream-transport";
import { startTestWorker } from "../testing/start-test-worker";
import { createRadiusClient } from "./create-radius-client";
import { deleteRadiusClient } from "./delete-radius-client";

// Issue 2's integration check through the console's own code path: createRadiusClient → trigger → NOTIFY → worker.
let actor: TActor;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let nas: TUpstreamTransport;
let stranger: TUpstreamTransport;
// A loopback source of our own, so clients other tests create for 127.0.0.1 in the shared database never match it.
const nasAddress = `127.0.${randomInt(1, 250)}.${randomInt(2, 250)}`;
const strangerAddress = `127.0.${randomInt(1, 250)}.251`;

const status = (transport: TUpstreamTransport, secret: string, timeoutMs: number) =>
  transport.exchange({ target: { host: "127.0.0.1", port: worker.authPort, secret: Buffer.from(secret) }, code: RadiusCode.StatusServer, attributes: () => [], timeoutMs, retries: 0 });

beforeAll(async () => {
  const admin = await prisma.admin.create({ data: { email: `rca-${randomUUID()}@example.test`, passwordHash: "x", role: "admin" } });
  actor = { adminId: admin.id, email: admin.email };
  worker = await startTestWorker({ healthPort: 0 });
  nas = await createUpstreamTransport({ bindAddress: nasAddress });
  stranger = await createUpstreamTransport({ bindAddress: strangerAddress });
});

afterAll(async () => {
  await nas?.close();
  await stranger?.close();
  await worker?.stop();
  await prisma.admin.delete({ where: { id: actor.adminId } });
  await disconnectPrisma();
});

describe("a RADIUS client saved by the console", () => {
  it("answers Status-Server within a second with no worker restart; an address not configured gets no answer", async () => {
    const secret = `secret-${randomUUID()}`;
    expect((await status(nas, secret, 300)).ok).toBe(false);
    const { id } = await createRadiusClient({ prisma, actor, input: { name: `console-${randomUUID()}`, address: nasAddress, secret } });
    const created = Date.now();
    let answered = false;
    while (!answered && Date.now() - created < 1_000) answered = (await status(nas, secret, 100)).ok;
    expect(answered, `no Status-Server answer ${Date.now() - created} ms after the console saved the client`).toBe(true);
    expect((await status(stranger, secret, 500)).ok).toBe(false);
    await deleteRadiusClient({ prisma, actor, id });
  });
});
