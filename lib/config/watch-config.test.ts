import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { encryptSecret } from "../secrets/envelope";
import { startRestartableTestDatabase, type TRestartableTestDatabase } from "../testing/test-database";
import { createConfigPrisma } from "./create-config-prisma";
import type { TConfigSnapshot } from "./snapshot-schema";
import { watchConfig } from "./watch-config";

const waitFor = async <T>(probe: () => T | undefined, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const databases: TRestartableTestDatabase[] = [];
afterAll(async () => {
  for (const database of databases) await database.stop();
});

describe("watchConfig", () => {
  it("serves a new snapshot within a second of a row insert", async () => {
    const url = process.env.DATABASE_URL!;
    const prisma = createConfigPrisma({ databaseUrl: url, connectionTimeoutMs: 15_000 });
    const seen: TConfigSnapshot[] = [];
    const watcher = await watchConfig({ databaseUrl: url, onSnapshot: (snapshot) => seen.push(snapshot) });
    try {
      const client = await prisma.radiusClient.create({
        data: { name: `watch-${randomUUID()}`, address: "203.0.113.9", secret: encryptSecret("abc") },
      });
      const snapshot = await waitFor(() => seen.find((s) => s.clients.some((c) => c.id === client.id)), 1000);
      expect(watcher.current().version).toBeGreaterThanOrEqual(snapshot.version);
      await prisma.radiusClient.delete({ where: { id: client.id } });
    } finally {
      await watcher.stop();
      await prisma.$disconnect();
    }
  });

  // Starts, stops and restarts a PostgreSQL cluster of its own: slow on a busy two-core machine, hence the timeout.
  it("keeps the last snapshot while the database is down and reloads when it returns", async () => {
    const database = await startRestartableTestDatabase();
    databases.push(database);
    const prisma = createConfigPrisma({ databaseUrl: database.url, connectionTimeoutMs: 15_000 });
    const first = await prisma.radiusClient.create({ data: { name: "before", address: "10.1.0.0/16", secret: encryptSecret("a") } });
    const errors: unknown[] = [];
    const seen: TConfigSnapshot[] = [];
    const watcher = await watchConfig({
      databaseUrl: database.url,
      maxBackoffMs: 500,
      onError: (error) => errors.push(error),
      onSnapshot: (snapshot) => seen.push(snapshot),
    });
    try {
      const before = watcher.current();
      expect(before.clients.map((c) => c.id)).toEqual([first.id]);

      await database.pause();
      await waitFor(() => (errors.length > 0 ? true : undefined), 15_000);
      await watcher.reload(); // a reload attempt while down must fail quietly and keep the snapshot
      expect(watcher.current()).toBe(before);

      await database.resume();
      const second = await prisma.radiusClient.create({ data: { name: "after", address: "10.2.0.0/16", secret: encryptSecret("b") } });
      const reloaded = await waitFor(() => seen.find((s) => s.clients.some((c) => c.id === second.id)), 30_000);
      expect(reloaded.clients.map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
    } finally {
      await watcher.stop();
      await prisma.$disconnect();
    }
  }, 120_000);

  it("refuses to start when the first load cannot reach the database", async () => {
    await expect(watchConfig({ databaseUrl: "postgresql://postgres:x@127.0.0.1:1/twofold" })).rejects.toThrow();
  });
});
