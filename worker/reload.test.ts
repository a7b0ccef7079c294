import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RadiusCode } from "../lib/radius/constants";
import { createUpstreamTransport, type TUpstreamTransport } from "../lib/radius/upstream/create-upstream-transport";
import { encryptSecret } from "../lib/secrets/envelope";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { seedApplication, seedClient } from "./test-support/seed";
import { sendLogin } from "./test-support/send-login";
import { waitFor } from "./test-support/wait-for";

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const workers: Awaited<ReturnType<typeof startTestWorker>>[] = [];
let nas: TUpstreamTransport;

const accessRequest = (port: number, secret: string, username: string, timeoutMs = 3000) =>
  sendLogin({ nas, port, secret, username, password: "irrelevant", timeoutMs });

beforeAll(async () => {
  db = await createIsolatedDatabase();
  nas = await createUpstreamTransport({ bindAddress: "127.0.0.1" });
});

afterAll(async () => {
  await nas?.close();
  for (const worker of workers) await worker.stop();
  await db?.drop();
});

describe("live reload", () => {
  it("rotates a client secret under load without losing an answer to a request sent with the valid secret", async () => {
    const application = await seedApplication({ prisma: db.prisma, primaryAuthMode: "none", newUserPolicy: "allow_without_2fa" });
    const client = await seedClient({ prisma: db.prisma, applicationId: application.id, secret: "old-secret" });
    const worker = await startTestWorker({ databaseUrl: db.url });
    workers.push(worker);
    let rotatedVersion = Number.POSITIVE_INFINITY;
    const secretFor = (version: number) => (version >= rotatedVersion ? "new-secret" : "old-secret");
    const results = { answered: 0, answeredNew: 0, lost: 0, ambiguous: 0 };
    let running = true;
    const loop = async (index: number) => {
      while (running) {
        const secret = secretFor(worker.configVersion());
        const result = await accessRequest(worker.authPort, secret, `load-${index}`);
        // A loss only counts when the secret was valid for the whole life of the request.
        const validThroughout = secretFor(worker.configVersion()) === secret;
        if (result.ok) {
          results.answered += 1;
          if (secret === "new-secret") results.answeredNew += 1;
        } else if (validThroughout) results.lost += 1;
        else results.ambiguous += 1;
      }
    };
    const loops = Array.from({ length: 8 }, (_, index) => loop(index));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const [, version] = await db.prisma.$transaction([
      db.prisma.radiusClient.update({ where: { id: client.id }, data: { secret: encryptSecret("new-secret") } }),
      db.prisma.configVersion.findUnique({ where: { id: 1 } }),
    ]);
    rotatedVersion = Number(version?.version ?? 0);
    // The one-second reload bound is checked on an idle worker (worker-basics); under load only liveness matters here.
    expect(await waitFor(() => (worker.configVersion() >= rotatedVersion ? true : undefined), { timeoutMs: 10_000 })).toBe(true);
    // Requests caught by the rotation time out (3 s) before their loop sends with the new secret: wait for those, not a fixed time.
    await waitFor(() => (results.answeredNew >= 8 ? true : undefined), { timeoutMs: 15_000 });
    running = false;
    await Promise.all(loops);
    expect(results.lost, `${JSON.stringify(results)} ${JSON.stringify(worker.stats())}\n${worker.logs.join("\n")}`).toBe(0);
    expect(results.answered, JSON.stringify(results)).toBeGreaterThan(20);
    expect(results.answeredNew, JSON.stringify(results)).toBeGreaterThan(0);
  });

  it("two workers against one database both serve, both log, both follow a reload", async () => {
    const first = workers[0]!;
    const second = await startTestWorker({ databaseUrl: db.url });
    workers.push(second);
    for (const worker of [first, second]) {
      const result = await waitFor(async () => {
        const reply = await accessRequest(worker.authPort, "new-secret", `both-${worker.workerId}`, 500);
        return reply.ok ? reply : undefined;
      }, { timeoutMs: 3000 });
      expect(result?.ok && result.packet.code).toBe(RadiusCode.AccessAccept);
    }
    const logged = await waitFor(async () => {
      const rows = await db.prisma.authEvent.findMany({ where: { username: { startsWith: "both-" } } });
      return new Set(rows.map((row) => row.workerId)).size === 2 ? rows : undefined;
    }, { timeoutMs: 5000 });
    expect(new Set(logged?.map((row) => row.workerId))).toEqual(new Set([first.workerId, second.workerId]));
    await db.prisma.radiusClient.updateMany({ data: { secret: encryptSecret("third-secret") } });
    for (const worker of [first, second]) {
      const result = await waitFor(async () => {
        const reply = await accessRequest(worker.authPort, "third-secret", "after-reload", 300);
        return reply.ok ? reply : undefined;
      }, { timeoutMs: 10_000 });
      expect(result?.ok).toBe(true);
    }
    const statuses = await db.prisma.workerStatus.findMany({ where: { id: { in: [first.workerId, second.workerId] } } });
    expect(statuses).toHaveLength(2);
  });
});
