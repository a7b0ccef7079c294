import { randomBytes, randomUUID } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { createTestDevice } from "../lib/push/test-device";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { encodeRequest } from "../lib/radius/encode-packet";
import { encryptSecret } from "../lib/secrets/envelope";
import { describeMemory } from "./db-work";
import { HEAP_DIR, type TBenchWorker, type TMfaFixture } from "./mfa-fixture";
import { processTree } from "./process-cpu";

// For `npm run bench:mixed`: PENDING users (default 5,000), each with a push device, log in from a second NAS
// (127.0.0.2, its own application: primary none, append, nothing appended → push to the first device, as
// bench/push-radius.ts does). Nobody answers the phones, so the worker holds every one of those requests open (one
// LISTEN connection, a waiter each) while the rush runs.
const PUSH_SECRET = "bench-push-secret";
const SOCKETS = 50; // distinct source ports, so a multi-process worker spreads them as it would many NAS sessions

export const holdPendingPushes = async ({ fixture, worker }: { fixture: TMfaFixture; worker: TBenchWorker }) => {
  const count = Number(process.env.BENCH_PENDING ?? 5000);
  const { prisma } = fixture;
  const application = await prisma.application.create({
    data: { name: "bench-push", ikey: "BENCHPUSHBENCHPUSH00", skey: encryptSecret("y".repeat(40)), primaryAuthMode: "none", factorEntry: "append" },
  });
  // Longer than the benchmark: a push that timed out would no longer be held.
  await prisma.policy.create({ data: { applicationId: application.id, pushTimeoutSec: 3600 } });
  await prisma.radiusClient.create({ data: { name: "bench-push-nas", address: "127.0.0.2", secret: encryptSecret(PUSH_SECRET), requireMessageAuthenticator: true, applicationId: application.id } });
  const device = await createTestDevice();
  const users = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), username: `push${String(i).padStart(6, "0")}` }));
  for (let i = 0; i < users.length; i += 1000) {
    const batch = users.slice(i, i + 1000);
    await prisma.user.createMany({ data: batch });
    await prisma.authenticator.createMany({ data: batch.map((user) => ({ userId: user.id, kind: "push_device" as const, name: "Phone", publicKey: JSON.stringify(device.publicKeyJwk), active: true })) });
  }
  const pending = () => prisma.pushRequest.count({ where: { status: "pending" } });

  const sockets: Socket[] = [];
  for (let i = 0; i < SOCKETS; i += 1) {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.2", resolve));
    sockets.push(socket);
  }
  const secret = Buffer.from(PUSH_SECRET);
  const send = (username: string, index: number) => {
    const { packet } = encodeRequest({
      code: RadiusCode.AccessRequest,
      identifier: Math.floor(index / SOCKETS) % 256,
      authenticator: randomBytes(16),
      attributes: [
        { type: Attr.UserName, value: Buffer.from(username) },
        { type: Attr.CallingStationId, value: Buffer.from(`203.0.113.${index % 250}`) },
      ],
      secret,
    });
    sockets[index % SOCKETS]!.send(packet, worker.authPort, "127.0.0.1");
  };
  // The worker loads the new client within a second or so: the first login waits for it.
  const deadline = Date.now() + 30_000;
  send(users[0]!.username, 0);
  while ((await pending()) < 1) {
    if (Date.now() > deadline) throw new Error("the worker never started a push for the second NAS");
    await new Promise((resolve) => setTimeout(resolve, 200));
    send(users[0]!.username, 0); // the same user and session attaches to its pending push, never a second one
  }
  const started = performance.now();
  for (let i = 1; i < users.length; i += 250) {
    users.slice(i, i + 250).forEach((user, j) => send(user.username, i + j));
    while ((await pending()) < Math.min(users.length, i + 250) - 50) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  while ((await pending()) < users.length && performance.now() - started < 180_000) await new Promise((resolve) => setTimeout(resolve, 100));
  const held = await pending();
  if (process.env.BENCH_HEAP_SNAPSHOT === "1") {
    for (const proc of processTree(worker.pid).filter((candidate) => candidate.cmdline.includes("worker-process"))) process.kill(proc.pid, "SIGPWR");
    await new Promise((resolve) => setTimeout(resolve, 10_000)); // writing a snapshot stops that process for seconds
    console.log(`mixed: heap snapshots of the worker processes under ${HEAP_DIR}`);
  }
  console.log(`mixed: ${held} pushes pending in the worker (set up in ${((performance.now() - started) / 1000).toFixed(1)} s), worker resident memory ${(worker.rssBytes() / 1024 / 1024).toFixed(0)} MB before the rush`);
  console.log(describeMemory(await worker.dbStats()));
  return {
    report: async () => `  pushes still pending after the rush: ${await pending()} of ${held} (none may be lost or answered while nobody taps)`,
    stop: async () => {
      for (const socket of sockets) socket.close();
    },
  };
};
