import { createSocket, type Socket } from "node:dgram";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatedDatabase } from "../../../worker/test-support/isolated-database";
import { seedApplication, seedClient, seedUpstream } from "../../../worker/test-support/seed";
import { waitFor } from "../../../worker/test-support/wait-for";
import { eapolTest } from "../../testing/eapol-test";
import { startFreeRadius, type TFreeRadius } from "../../testing/freeradius";
import { radclient } from "../../testing/radclient";
import { startTestWorker } from "../../testing/start-test-worker";

// One EAP conversation across two Twofold workers, as a controller failing over between RADIUS servers: a splitter in
// front of the workers sends each round to the other one. The State is in PostgreSQL, so either worker continues the
// conversation; and every round goes to the upstream server holding the TLS tunnel, even from a worker that holds
// that server down (it failed over earlier) and would otherwise ask the next one, which knows no such tunnel.
const NAS_SECRET = "wlc-failover-secret";
const UP_SECRET = "ise-failover-secret";
let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let first: TFreeRadius;
let second: TFreeRadius;
let workers: Awaited<ReturnType<typeof startTestWorker>>[] = [];
const sockets: Socket[] = [];

const bind = async (): Promise<Socket> => {
  const socket = createSocket("udp4");
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return socket;
};

// UDP in front of `targets`: each datagram from a new source goes out of its own socket, to the next target in turn;
// answers come back to that source. `drop` turns it silent (a server that stopped answering).
const startRelay = async (options: { targets: () => number[] }) => {
  const front = await bind();
  const outs = new Map<string, Socket>();
  let turn = 0;
  let drop = false;
  front.on("message", async (message, rinfo) => {
    if (drop) return;
    const key = `${rinfo.address}:${rinfo.port}`;
    let out = outs.get(key);
    if (!out) {
      out = await bind();
      outs.set(key, out);
      out.on("message", (reply) => front.send(reply, rinfo.port, rinfo.address));
    }
    const targets = options.targets();
    out.send(message, targets[turn++ % targets.length]!, "127.0.0.1");
  });
  return { port: front.address().port, setDrop: (value: boolean) => (drop = value), sent: () => turn };
};

let viaFirst: Awaited<ReturnType<typeof startRelay>>;
let splitter: Awaited<ReturnType<typeof startRelay>>;

beforeAll(async () => {
  db = await createIsolatedDatabase();
  const users = [{ username: "fay", password: "fay-pass" }];
  [first, second] = await Promise.all([startFreeRadius({ secret: UP_SECRET, eap: true, users }), startFreeRadius({ secret: UP_SECRET, eap: true, users })]);
  viaFirst = await startRelay({ targets: () => [first.authPort] });
  const app = await seedApplication({ prisma: db.prisma, primaryAuthMode: "radius", newUserPolicy: "allow_without_2fa" });
  await seedUpstream({ prisma: db.prisma, applicationId: app.id, port: viaFirst.port, secret: UP_SECRET, position: 0, timeoutMs: 1500 });
  await seedUpstream({ prisma: db.prisma, applicationId: app.id, port: second.authPort, secret: UP_SECRET, position: 1, timeoutMs: 5000 });
  await seedClient({ prisma: db.prisma, applicationId: app.id, secret: NAS_SECRET });
  workers = await Promise.all([startTestWorker({ databaseUrl: db.url }), startTestWorker({ databaseUrl: db.url })]);
  splitter = await startRelay({ targets: () => workers.map((worker) => worker.authPort) });
}, 60_000);

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await first?.stop();
  await second?.stop();
  for (const socket of sockets) await new Promise<void>((resolve) => socket.close(() => resolve()));
  await db?.drop();
});

describe("EAP across workers", () => {
  it("alternate rounds on two workers complete, all at the server holding the tunnel, though one worker holds it down", async () => {
    // The second worker finds the first server silent once: it holds it down and fails over to the second server.
    viaFirst.setDrop(true);
    const probe = await radclient({ port: workers[1]!.authPort, secret: NAS_SECRET, attributes: { "User-Name": "fay", "User-Password": "fay-pass" }, timeoutSec: 8 });
    expect(probe.code).toBe("Access-Accept");
    viaFirst.setDrop(false);
    const secondBefore = second.requestCount();
    const firstBefore = first.requestCount();

    const anonymous = `anon-${randomBytes(3).toString("hex")}`;
    const result = await eapolTest({ port: splitter.port, secret: NAS_SECRET, method: "PEAP", identity: "fay", anonymousIdentity: anonymous, password: "fay-pass", timeoutSec: 30 });
    expect(result.output).toMatch(/MPPE keys OK: 1 +mismatch: 0/);
    expect(result.exitCode).toBe(0);
    // Both workers answered rounds of it, and the second server never saw one.
    const events = await waitFor(async () => {
      const rows = await db.prisma.authEvent.findMany({ where: { usernameRaw: anonymous } });
      return rows.some((row) => row.reason === "allow_unenrolled_user") ? rows : undefined;
    }, { timeoutMs: 10_000 });
    expect(new Set(events?.map((row) => row.workerId)).size).toBe(2);
    expect(second.requestCount()).toBe(secondBefore);
    expect(first.requestCount() - firstBefore).toBeGreaterThan(3);
  }, 90_000);
});
