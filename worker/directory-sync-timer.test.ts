import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimScheduledSyncs } from "../lib/directory-sync/claim-scheduled-sync";
import { saveSyncSettings } from "../lib/directory-sync/save-sync-settings";
import { encryptSecret } from "../lib/secrets/envelope";
import { startSlapd, type TSlapd } from "../lib/testing/slapd";
import { startTestWorker } from "../lib/testing/start-test-worker";
import { createIsolatedDatabase } from "./test-support/isolated-database";
import { waitFor } from "./test-support/wait-for";

// A running worker syncs a directory on its schedule by itself; across processes each due run is claimed once.
let slapd: TSlapd;
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
beforeAll(async () => {
  [slapd, database] = await Promise.all([startSlapd(), createIsolatedDatabase()]);
});
afterAll(async () => {
  await slapd?.stop();
  await database?.drop();
});

const seedServer = async (intervalMinutes: number) => {
  const server = await database.prisma.primaryAuthServer.create({
    data: { name: `dir-${intervalMinutes}`, kind: "ldap", host: "127.0.0.1", port: slapd.port, secret: encryptSecret(slapd.bindPassword), bindDn: slapd.bindDn, baseDn: slapd.baseDn },
  });
  await saveSyncSettings({ prisma: database.prisma, actor: { email: "test" }, serverId: server.id, input: { groupDns: [`cn=vpn-users,${slapd.groupsDn}`], intervalMinutes } });
  return server;
};

describe("scheduled directory sync", { timeout: 120_000 }, () => {
  it("claims a due server once among concurrent workers, and not again before its interval", async () => {
    const server = await seedServer(60);
    const now = new Date();
    const claims = await Promise.all(Array.from({ length: 6 }, () => claimScheduledSyncs({ prisma: database.prisma, now })));
    expect(claims.flat().filter((id) => id === server.id)).toHaveLength(1);
    expect(await claimScheduledSyncs({ prisma: database.prisma, now: new Date(now.getTime() + 59 * 60_000) })).not.toContain(server.id);
    expect(await claimScheduledSyncs({ prisma: database.prisma, now: new Date(now.getTime() + 61 * 60_000) })).toContain(server.id);
    await database.prisma.primaryAuthServer.delete({ where: { id: server.id } });
  });

  it("a running worker imports the directory on its own, audited as worker:directory-sync", async () => {
    const server = await seedServer(5);
    const worker = await startTestWorker({ databaseUrl: database.url });
    try {
      const synced = await waitFor(async () => ((await database.prisma.user.count({ where: { username: { in: ["alice", "bob", "carol"] } } })) === 3 ? true : undefined), { timeoutMs: 60_000, intervalMs: 250 });
      expect(synced).toBe(true);
      expect(await database.prisma.adminAuditEvent.findFirst({ where: { action: "directory_sync.apply", targetId: server.id } })).toMatchObject({ actorEmail: "worker:directory-sync" });
      expect(await database.prisma.groupMember.count({ where: { group: { name: "vpn-users" } } })).toBe(3);
    } finally {
      await worker.stop();
    }
  });
});
