import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "../db";
import { encryptSecret } from "../secrets/envelope";
import { loadConfigSnapshot } from "./load-config-snapshot";

const unique = () => randomUUID().slice(0, 8);
const ikey = () => randomBytes(10).toString("hex").toUpperCase();

afterAll(async () => {
  await disconnectPrisma();
});

describe("loadConfigSnapshot", () => {
  it("decrypts secrets, parses CIDRs and orders primary servers", async () => {
    const group = await prisma.group.create({ data: { name: `cfg-group-${unique()}` } });
    const app = await prisma.application.create({
      data: {
        name: `cfg-app-${unique()}`,
        ikey: ikey(),
        skey: encryptSecret("s".repeat(40)),
        primaryAuthMode: "ldap",
        passThroughAll: false,
        passThroughAttrs: ["Class"],
        permittedGroups: { create: { groupId: group.id } },
        groupMappings: { create: [{ groupId: group.id, classValue: "Engineering", position: 1 }, { directoryGroup: "cn=x", classValue: "X", position: 0 }] },
      },
    });
    const second = await prisma.primaryAuthServer.create({
      data: { name: "b", kind: "ldap", applicationId: app.id, host: "ldap2", port: 389, position: 2, secret: encryptSecret("pw2") },
    });
    const first = await prisma.primaryAuthServer.create({
      data: { name: "a", kind: "ldap", applicationId: app.id, host: "ldap1", port: 636, position: 1, secret: encryptSecret("pw1"), tlsMode: "ldaps", baseDn: "dc=x" },
    });
    const client = await prisma.radiusClient.create({
      data: { name: `cfg-client-${unique()}`, address: "192.0.2.0/24", secret: encryptSecret("s3cret,\\é"), applicationId: app.id },
    });

    const snapshot = await loadConfigSnapshot({ prisma });

    const loadedClient = snapshot.clients.find((row) => row.id === client.id);
    expect(loadedClient).toMatchObject({ secret: "s3cret,\\é", address: "192.0.2.0/24", applicationId: app.id, key: client.id });
    expect(loadedClient?.cidr.prefix).toBe(24);
    const loadedApp = snapshot.applications.find((row) => row.id === app.id);
    expect(loadedApp?.primaryAuthServers.map((server) => [server.id, server.secret])).toEqual([
      [first.id, "pw1"],
      [second.id, "pw2"],
    ]);
    expect(loadedApp?.permittedGroups).toEqual([{ id: group.id, name: group.name }]);
    expect(loadedApp?.groupMappings.map((mapping) => mapping.classValue)).toEqual(["X", "Engineering"]);
    expect(loadedApp?.groupMappings[1]?.groupName).toBe(group.name);
    expect(snapshot.version).toBeGreaterThan(0);
    // Loaded, but the second server has no base DN: a warning, not a skipped row.
    expect(snapshot.problems).toContainEqual(expect.objectContaining({ table: "PrimaryAuthServer", rowId: second.id, field: "baseDn", skipped: false }));
    expect(snapshot.problems.some((problem) => problem.rowId === first.id)).toBe(false);
    expect(Object.isFrozen(snapshot.clients)).toBe(true);

    await prisma.application.delete({ where: { id: app.id } });
    await prisma.radiusClient.delete({ where: { id: client.id } });
    await prisma.group.delete({ where: { id: group.id } });
  });

  it("skips a bad row and names its table, id and field", async () => {
    const good = await prisma.radiusClient.create({
      data: { name: `cfg-good-${unique()}`, address: "198.51.100.7", secret: encryptSecret("fine") },
    });
    const badAddress = await prisma.radiusClient.create({
      data: { name: `cfg-bad-cidr-${unique()}`, address: "10.0.0.1/24", secret: encryptSecret("x") },
    });
    const badSecret = await prisma.radiusClient.create({
      data: { name: `cfg-bad-secret-${unique()}`, address: "198.51.100.8", secret: encryptSecret("x", randomBytes(32)) },
    });
    try {
      const snapshot = await loadConfigSnapshot({ prisma });
      const ids = snapshot.clients.map((row) => row.id);
      expect(ids).toContain(good.id);
      expect(ids).not.toContain(badAddress.id);
      expect(ids).not.toContain(badSecret.id);
      const messages = snapshot.problems.map((problem) => problem.message);
      expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^RadiusClient ${badAddress.id}: address: "10.0.0.1/24" is not an address or CIDR \\(Host bits are set`)));
      expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^RadiusClient ${badSecret.id}: secret: cannot be decrypted`)));
      expect(snapshot.problems.find((problem) => problem.rowId === badAddress.id)?.skipped).toBe(true);
    } finally {
      await prisma.radiusClient.deleteMany({ where: { id: { in: [good.id, badAddress.id, badSecret.id] } } });
    }
  });
});
