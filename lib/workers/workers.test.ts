import { randomUUID } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { listWorkers } from "./list-workers";
import { recordHeartbeat } from "./record-heartbeat";

afterAll(async () => {
  await disconnectPrisma();
});

it("upserts heartbeats and lists workers with liveness and config lag", async () => {
  const workerId = `hb-${randomUUID()}`;
  const startedAt = new Date(Date.now() - 60_000);
  const current = Number((await prisma.configVersion.findUniqueOrThrow({ where: { id: 1 } })).version);
  await recordHeartbeat({ prisma, workerId, hostname: "host-a", address: "10.0.0.5", configVersion: current - 1, startedAt, stats: { accepted: 1 }, now: new Date(Date.now() - 120_000) });
  let listed = (await listWorkers({ prisma })).find((worker) => worker.id === workerId);
  expect(listed).toMatchObject({ hostname: "host-a", alive: false, upToDate: false, stats: { accepted: 1 } });

  // Other test files change configuration concurrently: a version far ahead stays "up to date" whatever they do.
  const ahead = current + 1_000_000;
  await recordHeartbeat({ prisma, workerId, hostname: "host-a", configVersion: ahead, startedAt, stats: { accepted: 7, dropped: { unknown_client: 2 } } });
  listed = (await listWorkers({ prisma })).find((worker) => worker.id === workerId);
  expect(listed).toMatchObject({ alive: true, upToDate: true, configVersion: ahead, address: null, stats: { accepted: 7, dropped: { unknown_client: 2 } } });
  expect(await prisma.workerStatus.count({ where: { id: workerId } })).toBe(1);
  await prisma.workerStatus.delete({ where: { id: workerId } });
});
