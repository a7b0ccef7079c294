import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfigPrisma } from "../lib/config/create-config-prisma";
import type { TPrisma } from "../lib/db";
import { RadiusCode } from "../lib/radius/constants";
import { createUpstreamTransport, type TUpstreamTransport } from "../lib/radius/upstream/create-upstream-transport";
import { startReplicatedDatabase, type TReplicatedDatabase } from "../lib/testing/replicated-database";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { seedApplication, seedClient } from "./test-support/seed";
import { sendLogin } from "./test-support/send-login";
import { waitFor } from "./test-support/wait-for";

// Issue 13: workers follow a PostgreSQL failover. A primary and a streaming standby, both real; the workers get
// libpq's multi-host DATABASE_URL with target_session_attrs=read-write. Mid-load the primary stops and the standby is
// promoted: the workers keep answering (snapshot and spool), then write to the new primary, and no event is lost.
const SECRET = "failover-secret";
let database: TReplicatedDatabase;
let prisma: TPrisma;
let workers: Awaited<ReturnType<typeof startTestWorker>>[] = [];
let nas: TUpstreamTransport;

const send = (port: number, username: string) => sendLogin({ nas, port, secret: SECRET, username, password: "pw", timeoutMs: 20_000 });

beforeAll(async () => {
  database = await startReplicatedDatabase();
  prisma = createConfigPrisma({ databaseUrl: database.multiHostUrl });
  const application = await seedApplication({ prisma, primaryAuthMode: "none" });
  await prisma.policy.update({ where: { applicationId: application.id }, data: { failMode: "safe" } });
  await seedClient({ prisma, applicationId: application.id, secret: SECRET });
  workers = [await startTestWorker({ databaseUrl: database.multiHostUrl }), await startTestWorker({ databaseUrl: database.multiHostUrl })];
  nas = await createUpstreamTransport({ bindAddress: "127.0.0.1" });
}, 180_000);

afterAll(async () => {
  await nas?.close();
  for (const worker of workers) await worker.stop();
  await prisma?.$disconnect();
  await database?.stop();
});

describe("PostgreSQL failover", () => {
  it("answers through the primary's stop and the standby's promotion, then stores every event on the new primary exactly once", { timeout: 240_000 }, async () => {
    const sent: { username: string; code: number | undefined }[] = [];
    let phase = "before";
    let stop = false;
    // Two NAS loops, one per worker, one login at a time each: load across the whole failover.
    const load = workers.map(async (worker, index) => {
      for (let n = 0; !stop; n += 1) {
        const username = `failover-${phase}-${index}-${n}`;
        const result = await send(worker.authPort, username);
        sent.push({ username, code: result.ok ? result.packet.code : undefined });
      }
    });
    const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await settle(1500);
    phase = "outage";
    await database.primary.pause();
    await settle(2000);
    phase = "promoted";
    await database.promoteReplica();
    // Served normally again (not from fail mode): a worker reached the new primary for its reads.
    const recovered = await waitFor(async () => {
      const recent = sent.filter((entry) => entry.username.startsWith("failover-promoted"));
      return recent.length > 0 ? await prisma.authEvent.findFirst({ where: { username: { in: recent.map((entry) => entry.username) }, reason: { not: "failmode_safe" } } }).catch(() => null) ?? undefined : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    phase = "after";
    await settle(1500);
    stop = true;
    await Promise.all(load);

    expect(recovered, "no login was served normally after the promotion").toBeDefined();
    expect(sent.filter((entry) => entry.code !== RadiusCode.AccessAccept), "every login answered (Accept, or fail mode safe)").toEqual([]);
    expect(sent.some((entry) => entry.username.startsWith("failover-outage")), "logins were sent during the outage").toBe(true);
    const usernames = sent.map((entry) => entry.username);
    const stored = await waitFor(async () => {
      const rows = await prisma.authEvent.findMany({ where: { username: { in: usernames } }, select: { username: true } }).catch(() => []);
      return rows.length >= usernames.length ? rows : undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000 });
    expect(stored?.map((row) => row.username).sort()).toEqual([...usernames].sort());
    // Nothing arrives twice later (a spool replay racing a batch).
    await settle(2000);
    expect(await prisma.authEvent.count({ where: { username: { in: usernames } } })).toBe(usernames.length);
  });
});
